using System.Diagnostics;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary>Turns a phase's counts into a <see cref="RunResult"/>, listing every problem found.</summary>
public static class ResultFactory
{
    public static RunResult FromPhase(
        ScenarioContext context,
        string scenario,
        int users,
        double rate,
        double durationSeconds,
        PhaseOutcome outcome,
        IReadOnlyDictionary<string, double>? extras = null,
        LatencySummary? latencyOverride = null,
        IEnumerable<string>? moreProblems = null,
        (string Unit, long Count)? operationsPer = null)
    {
        var tracker = outcome.Tracker;
        var check = outcome.Check;
        var delivered = tracker.Delivered;
        var lastDelivery = tracker.LastDeliveryAt;
        var window = lastDelivery > outcome.StartedAt ? (lastDelivery - outcome.StartedAt) / (double)Stopwatch.Frequency : 0;
        var throughput = window > 0 ? Math.Round(delivered / window, 1) : 0;
        var cpuPerDelivery = outcome.Usage.ServerCpuSeconds is { } cpu && delivered > 0
            ? Math.Round(cpu * 1_000_000 / delivered, 1)
            : (double?)null;

        var problems = new List<string>();
        Add(problems, check.Lost, "deliveries lost");
        Add(problems, tracker.Duplicates, "duplicate deliveries");
        Add(problems, tracker.OutOfOrder, "deliveries out of order");
        Add(problems, check.SeqErrors, "conversations with seq gaps or repeats");
        Add(problems, tracker.Sent - tracker.Acked, "sends never acked");
        Add(problems, tracker.Errors, "error frames");
        Add(problems, tracker.BadFrames, "unreadable frames");
        Add(problems, tracker.UnexpectedCloses, "connections closed by the server");
        problems.AddRange(moreProblems ?? []);
        problems.AddRange(tracker.ErrorSamples.Select(pair => $"  {pair.Value} x {pair.Key}"));

        return new RunResult(
            context.Target.Name,
            scenario,
            context.Target.BaseUri.ToString(),
            users,
            rate,
            durationSeconds,
            tracker.Sent,
            tracker.Acked,
            check.Expected,
            delivered,
            check.Lost,
            tracker.Duplicates,
            tracker.OutOfOrder,
            check.SeqErrors,
            tracker.Errors,
            tracker.UnexpectedCloses,
            throughput,
            latencyOverride ?? LatencySummary.From(tracker.Latency),
            LatencySummary.From(tracker.AckLatency),
            outcome.Usage.ServerCpuSeconds,
            cpuPerDelivery,
            outcome.Usage.ServerRssBytes,
            outcome.Usage.ServerRssPeakBytes,
            outcome.Usage.ToolCpuSeconds,
            WithOperations(extras, outcome.Usage, operationsPer ?? ("msg", tracker.Acked)),
            problems);
    }

    /// <summary>The double's counts per message acked (or per <paramref name="per"/>'s unit), and peak presence writes/s.</summary>
    private static Dictionary<string, double> WithOperations(
        IReadOnlyDictionary<string, double>? extras, MeasuredUsage usage, (string Unit, long Count) per)
    {
        var all = new Dictionary<string, double>(extras ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        if (usage.Operations is { } operations && per.Count > 0)
        {
            foreach (var (name, count) in operations)
            {
                all[$"ops/{per.Unit} {name}"] = Math.Round(count / (double)per.Count, 3);
            }
        }

        if (usage.PeakPresenceWritesPerSecond is { } peak)
        {
            all["peak presence writes/s"] = peak;
        }

        return all;
    }

    private static void Add(List<string> problems, long count, string what)
    {
        if (count > 0)
        {
            problems.Add($"{count} {what}");
        }
    }
}
