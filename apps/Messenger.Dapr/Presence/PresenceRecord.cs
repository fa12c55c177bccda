using System.Collections.Immutable;

namespace Messenger.Dapr.Presence;

/// <summary>What <c>presence:{userId}</c> holds: the user's connections on every gateway, and when the user was last seen.</summary>
public sealed record PresenceRecord(ImmutableArray<PresenceConnection> Connections, DateTimeOffset? LastSeen)
{
    public static PresenceRecord Empty { get; } = new([], null);
}
