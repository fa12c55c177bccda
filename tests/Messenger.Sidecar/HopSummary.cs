namespace Messenger.Sidecar;

/// <summary>One kind of hop: how many were timed and their percentiles, in milliseconds.</summary>
public sealed record HopSummary(long Count, double P50, double P90, double P99, double Max);
