using System.Collections.Immutable;

namespace Messenger.Dapr.Presence;

/// <summary>What <c>gateway:{id}:users:{shard}</c> holds: users with a connection on the gateway (one shard of them).</summary>
public sealed record GatewayUsers(ImmutableArray<string> UserIds)
{
    public ImmutableArray<string> Ids => UserIds.IsDefault ? [] : UserIds;
}
