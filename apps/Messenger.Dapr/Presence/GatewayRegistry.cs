using System.Collections.Immutable;

namespace Messenger.Dapr.Presence;

/// <summary>What <c>gateways</c> holds: every gateway instance that has renewed a lease and not been swept since.</summary>
public sealed record GatewayRegistry(ImmutableArray<string> GatewayIds)
{
    public ImmutableArray<string> Ids => GatewayIds.IsDefault ? [] : GatewayIds;
}
