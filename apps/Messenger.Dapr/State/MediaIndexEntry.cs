namespace Messenger.Dapr.State;

/// <summary>One media item in an index shard, with the time it is ordered by (pendingUntil, or when it was created).</summary>
public sealed record MediaIndexEntry(string MediaId, DateTimeOffset At);
