using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// Server CPU and RSS (when its pid is known), the tool's own CPU and, over the sidecar double, its operation counts
/// and peak presence writes per second over one step.
/// </summary>
public sealed class Measurement : IAsyncDisposable
{
    private readonly int? pid;
    private readonly ProcessSnapshot? serverStart;
    private readonly double toolStart;
    private readonly PeakRssSampler sampler;
    private readonly SidecarCounters? counters;
    private readonly CancellationTokenSource stopPeak = new();
    private readonly Task<double> peak;
    private int stopped;

    private Measurement(int? pid, SidecarCounters? counters)
    {
        this.pid = pid;
        this.counters = counters;
        serverStart = ProcessSnapshot.Take(pid);
        toolStart = ProcessStats.CpuSeconds(ProcessStats.CurrentPid) ?? 0;
        sampler = new PeakRssSampler(pid);
        peak = counters is null ? Task.FromResult(0.0) : counters.SamplePeakAsync(stopPeak.Token);
    }

    public static async Task<Measurement> StartAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        if (context.Counters is { } counters)
        {
            await counters.ResetAsync(cancellationToken);
        }

        return new Measurement(context.Target.Pid, context.Counters);
    }

    public async Task<MeasuredUsage> FinishAsync()
    {
        var end = ProcessSnapshot.Take(pid);
        var tool = (ProcessStats.CpuSeconds(ProcessStats.CurrentPid) ?? 0) - toolStart;
        var peakWrites = await StopAsync();
        var operations = counters is null ? null : await counters.ReadAsync(CancellationToken.None);
        return new MeasuredUsage(
            serverStart is not null && end is not null ? Math.Round(end.CpuSeconds - serverStart.CpuSeconds, 2) : null,
            end?.RssBytes,
            end is null ? null : Math.Max(sampler.PeakBytes, end.RssBytes),
            Math.Round(tool, 2),
            operations,
            counters is null ? null : peakWrites);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Stops both samplers (once) and gives the peak presence writes per second.</summary>
    private async Task<double> StopAsync()
    {
        await sampler.DisposeAsync();
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            await stopPeak.CancelAsync();
            stopPeak.Dispose();
        }

        return await peak;
    }
}
