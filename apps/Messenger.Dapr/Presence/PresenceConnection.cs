namespace Messenger.Dapr.Presence;

/// <summary>One open WebSocket of a user, held by one gateway instance.</summary>
public sealed record PresenceConnection(string GatewayId, string ConnectionId);
