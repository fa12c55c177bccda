namespace Messenger.Sidecar.State;

/// <summary>One write to a store: an upsert (<see cref="Value"/> set) or a delete, with its ETag, concurrency and TTL
/// (<c>ttlInSeconds</c>: null keeps the key's expiry, -1 removes it).</summary>
public sealed record StateOperation(string Key, byte[]? Value, string? ETag, StateConcurrency Concurrency, int? TtlSeconds)
{
    public bool IsDelete => Value is null;

    public bool HasETag => !string.IsNullOrEmpty(ETag);
}
