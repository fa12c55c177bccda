namespace Messenger.Sidecar.Daprd;

/// <summary>A subscription the app declared in <c>GET /dapr/subscribe</c>.</summary>
public sealed record DeclaredSubscription(string PubSub, string Topic, string Route, string? DeadLetterTopic);
