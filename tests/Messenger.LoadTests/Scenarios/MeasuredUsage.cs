namespace Messenger.LoadTests.Scenarios;

/// <summary>Resources used over one step; server figures are null when the server pid is unknown.</summary>
public sealed record MeasuredUsage(double? ServerCpuSeconds, long? ServerRssBytes, long? ServerRssPeakBytes, double ToolCpuSeconds);
