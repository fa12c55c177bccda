namespace Messenger.Sidecar.State;

/// <summary>A stored value with its version (the ETag, as the Redis store counts it: 1 on creation, +1 a write),
/// whether it was ever written with first-write concurrency, and when it expires.</summary>
public sealed record StateEntry(byte[] Value, long Version, bool FirstWrite, DateTimeOffset? ExpiresAt)
{
    public string ETag => Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
