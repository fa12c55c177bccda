namespace Messenger.Dapr.Tests.Fakes;

/// <summary>One key of the in-memory state store: its JSON, its ETag and when it expires (ttlInSeconds).</summary>
internal sealed record StoredValue(byte[] Json, string ETag, DateTimeOffset? ExpiresAt);
