namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// Resources used over one step; server figures are null when the server pid is unknown, the double's operation
/// counts and peak presence writes per second when no --counters-url was given.
/// </summary>
public sealed record MeasuredUsage(
    double? ServerCpuSeconds,
    long? ServerRssBytes,
    long? ServerRssPeakBytes,
    double ToolCpuSeconds,
    IReadOnlyDictionary<string, long>? Operations = null,
    double? PeakPresenceWritesPerSecond = null);
