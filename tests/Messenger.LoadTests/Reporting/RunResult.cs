using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Reporting;

/// <summary>The figures of one scenario (or one sweep step) against one target.</summary>
public sealed record RunResult(
    string Target,
    string Scenario,
    string Url,
    int Users,
    double OfferedRate,
    double DurationSeconds,
    long Sent,
    long Acked,
    long ExpectedDeliveries,
    long Delivered,
    long Lost,
    long Duplicates,
    long OutOfOrder,
    long SeqErrors,
    long Errors,
    long UnexpectedCloses,
    double ThroughputPerSecond,
    LatencySummary Latency,
    LatencySummary AckLatency,
    double? ServerCpuSeconds,
    double? ServerCpuMicrosPerDelivery,
    long? ServerRssBytes,
    long? ServerRssPeakBytes,
    double ToolCpuSeconds,
    IReadOnlyDictionary<string, double> Extras,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}
