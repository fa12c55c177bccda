using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Scenarios;

/// <summary>Server CPU and RSS (when its pid is known) and the tool's own CPU over one step.</summary>
public sealed class Measurement : IAsyncDisposable
{
    private readonly int? pid;
    private readonly ProcessSnapshot? serverStart;
    private readonly double toolStart;
    private readonly PeakRssSampler sampler;

    private Measurement(int? pid)
    {
        this.pid = pid;
        serverStart = ProcessSnapshot.Take(pid);
        toolStart = ProcessStats.CpuSeconds(ProcessStats.CurrentPid) ?? 0;
        sampler = new PeakRssSampler(pid);
    }

    public static Measurement Start(int? serverPid) => new(serverPid);

    public async Task<MeasuredUsage> FinishAsync()
    {
        var end = ProcessSnapshot.Take(pid);
        var tool = (ProcessStats.CpuSeconds(ProcessStats.CurrentPid) ?? 0) - toolStart;
        await sampler.DisposeAsync();
        return new MeasuredUsage(
            serverStart is not null && end is not null ? Math.Round(end.CpuSeconds - serverStart.CpuSeconds, 2) : null,
            end?.RssBytes,
            end is null ? null : Math.Max(sampler.PeakBytes, end.RssBytes),
            Math.Round(tool, 2));
    }

    public ValueTask DisposeAsync() => sampler.DisposeAsync();
}
