using System.Collections.Concurrent;

namespace Messenger.Sidecar;

/// <summary>
/// How long the doubles themselves take per hop, by kind: the time from a request reaching a double to its answer,
/// less what the double spent waiting on the app (an actor method, an event's route) or on an actor's turn; and how
/// long events wait in the broker between publish and delivery. Kept to compare the double's cost with daprd's.
/// </summary>
public sealed class HopTimings
{
    private const int MaxSamples = 2_000_000;
    private readonly ConcurrentDictionary<string, Samples> hops = new(StringComparer.Ordinal);

    public void Record(string hop, TimeSpan elapsed) => hops.GetOrAdd(hop, _ => new Samples()).Add(elapsed.TotalMilliseconds);

    /// <summary>{ hop: { count, p50, p90, p99, max } } in milliseconds.</summary>
    public IReadOnlyDictionary<string, HopSummary> Snapshot() =>
        new SortedDictionary<string, HopSummary>(hops.ToDictionary(h => h.Key, h => h.Value.Summary(), StringComparer.Ordinal), StringComparer.Ordinal);

    public void Reset() => hops.Clear();

    private sealed class Samples
    {
        private readonly Lock gate = new();
        private readonly List<double> milliseconds = [];
        private long count;

        public void Add(double value)
        {
            lock (gate)
            {
                count++;
                if (milliseconds.Count < MaxSamples)
                {
                    milliseconds.Add(value);
                }
            }
        }

        public HopSummary Summary()
        {
            double[] sorted;
            long total;
            lock (gate)
            {
                sorted = [.. milliseconds];
                total = count;
            }

            Array.Sort(sorted);
            return new HopSummary(total, At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted.Length == 0 ? 0 : sorted[^1]);
        }

        private static double At(double[] sorted, double quantile) =>
            sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)], 3);
    }
}
