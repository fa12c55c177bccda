using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Scenarios;

/// <summary>Server CPU and RSS (when its pid is known) and the tool's own CPU over one step.</summary>
public sealed class Measurement : IAsyncDisposable
{
    private readonly int? _pid;
    private readonly ProcessSnapshot? _serverStart;
    private readonly double _toolStart;
    private readonly PeakRssSampler _sampler;

    private Measurement(int? pid)
    {
        _pid = pid;
        _serverStart = ProcessSnapshot.Take(pid);
        _toolStart = ProcessStats.CpuSeconds(ProcessStats.CurrentPid) ?? 0;
        _sampler = new PeakRssSampler(pid);
    }

    public static Measurement Start(int? serverPid) => new(serverPid);

    public async Task<MeasuredUsage> FinishAsync()
    {
        var end = ProcessSnapshot.Take(_pid);
        var tool = (ProcessStats.CpuSeconds(ProcessStats.CurrentPid) ?? 0) - _toolStart;
        await _sampler.DisposeAsync();
        return new MeasuredUsage(
            _serverStart is not null && end is not null ? Math.Round(end.CpuSeconds - _serverStart.CpuSeconds, 2) : null,
            end?.RssBytes,
            end is null ? null : Math.Max(_sampler.PeakBytes, end.RssBytes),
            Math.Round(tool, 2));
    }

    public ValueTask DisposeAsync() => _sampler.DisposeAsync();
}
