using System.Diagnostics;
using System.Text.Json;

namespace Messenger.LoadTests.Metrics;

/// <summary>
/// The sidecar double's operation counts (tests/Messenger.Sidecar, admin endpoint): reset at the start of a measured
/// phase, read at its end, as "app operation" counts and "app operation key-kind" counts of state keys. While a phase
/// runs, <see cref="SamplePeakAsync"/> keeps the highest rate of presence writes per second.
/// </summary>
public sealed class SidecarCounters(Uri admin) : IDisposable
{
    public const string PresenceKind = "presence:*";
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);
    private readonly HttpClient http = new() { BaseAddress = admin, Timeout = TimeSpan.FromSeconds(10) };

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("counters/reset", null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every nonzero count: "gateway publish", "messages stateWrite", "gateway stateWrite presence:*" …</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var operations = JsonDocument.Parse(await http.GetStringAsync("counters", cancellationToken));
        foreach (var app in operations.RootElement.EnumerateObject().Where(a => a.Name != "total"))
        {
            foreach (var op in app.Value.EnumerateObject().Where(o => o.Value.GetInt64() > 0))
            {
                counts[$"{app.Name} {op.Name}"] = op.Value.GetInt64();
            }
        }

        using var keys = JsonDocument.Parse(await http.GetStringAsync("counters/keys", cancellationToken));
        foreach (var app in keys.RootElement.EnumerateObject())
        {
            foreach (var op in app.Value.EnumerateObject())
            {
                foreach (var kind in op.Value.EnumerateObject())
                {
                    counts[$"{app.Name} {op.Name} {kind.Name}"] = kind.Value.GetInt64();
                }
            }
        }

        return counts;
    }

    /// <summary>Every operation the doubles counted since the last reset, all apps together.</summary>
    public async Task<long> TotalAsync(CancellationToken cancellationToken)
    {
        using var operations = JsonDocument.Parse(await http.GetStringAsync("counters", cancellationToken));
        return operations.RootElement.TryGetProperty("total", out var total)
            ? total.EnumerateObject().Sum(op => op.Value.GetInt64())
            : 0;
    }

    /// <summary>
    /// Presence entries written (all apps) per second, the highest over any sample interval, until cancelled. A count
    /// is taken at some moment while its request is in flight, so an interval is only as sure as its two requests were
    /// short: a sample whose request took longer than a tenth of the interval ends an interval without giving a rate
    /// (on a busy double one slow answer followed by a quick one made a 2 s interval look like 250 ms).
    /// </summary>
    public async Task<double> SamplePeakAsync(CancellationToken cancellationToken)
    {
        var peak = 0.0;
        var last = await SampleAsync(CancellationToken.None);
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = await SampleAsync(cancellationToken);
                var seconds = (now.At - last.At) / (double)Stopwatch.Frequency;
                if (last.Sure && now.Sure && seconds > 0)
                {
                    peak = Math.Max(peak, (now.Writes - last.Writes) / seconds);
                }

                last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }

        return Math.Round(peak, 1);
    }

    private async Task<(long Writes, long At, bool Sure)> SampleAsync(CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        var writes = await PresenceWritesAsync(cancellationToken);
        var answered = Stopwatch.GetTimestamp();
        var took = (answered - sent) / (double)Stopwatch.Frequency;
        return (writes, sent + ((answered - sent) / 2), took <= SampleEvery.TotalSeconds / 10);
    }

    public void Dispose() => http.Dispose();

    private async Task<long> PresenceWritesAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken))
            .Where(c => c.Key.EndsWith($" stateWrite {PresenceKind}", StringComparison.Ordinal))
            .Sum(c => c.Value);
}
