using System.Text.Json.Serialization;

namespace Messenger.Dapr.Subscriptions;

/// <summary>The answer to a delivered event: <c>SUCCESS</c>, <c>RETRY</c> (deliver it again) or <c>DROP</c> (never).</summary>
public sealed record TopicStatus([property: JsonPropertyName("status")] string Status)
{
    public static TopicStatus Success { get; } = new("SUCCESS");
    public static TopicStatus Retry { get; } = new("RETRY");
    public static TopicStatus Drop { get; } = new("DROP");
}
