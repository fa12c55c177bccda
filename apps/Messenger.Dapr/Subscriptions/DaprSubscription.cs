using System.Text.Json.Serialization;

namespace Messenger.Dapr.Subscriptions;

/// <summary>One entry of <c>GET /dapr/subscribe</c>, in the shape the sidecar reads.</summary>
public sealed record DaprSubscription(
    [property: JsonPropertyName("pubsubname")] string PubsubName,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("route")] string Route,
    [property: JsonPropertyName("deadLetterTopic"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeadLetterTopic);
