namespace Messenger.Dapr.Presence;

/// <summary>What <c>gateway:{id}:lease</c> holds: until when the gateway's connections count.</summary>
public sealed record GatewayLease(DateTimeOffset ExpiresAt);
