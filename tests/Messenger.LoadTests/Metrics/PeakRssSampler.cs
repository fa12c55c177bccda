namespace Messenger.LoadTests.Metrics;

/// <summary>Samples a process's RSS every half second until disposed and keeps the peak.</summary>
public sealed class PeakRssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long peak;
    private int disposed;

    public PeakRssSampler(int? pid)
    {
        loop = pid is { } id ? Task.Run(() => SampleAsync(id, stop.Token)) : Task.CompletedTask;
    }

    public long PeakBytes => Interlocked.Read(ref peak);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task SampleAsync(int pid, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        do
        {
            if (ProcessStats.RssBytes(pid) is { } rss && rss > Interlocked.Read(ref peak))
            {
                Interlocked.Exchange(ref peak, rss);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
