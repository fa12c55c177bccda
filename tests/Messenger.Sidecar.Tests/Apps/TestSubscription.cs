namespace Messenger.Sidecar.Tests.Apps;

/// <summary>A subscription a test app declares, in the JSON shape of <c>GET /dapr/subscribe</c>.</summary>
public sealed record TestSubscription(string PubSub, string Topic, string Route, string? DeadLetterTopic = null)
{
    public Dictionary<string, string> ToJson()
    {
        var json = new Dictionary<string, string> { ["pubsubname"] = PubSub, ["topic"] = Topic, ["route"] = Route };
        if (DeadLetterTopic is not null)
        {
            json["deadLetterTopic"] = DeadLetterTopic;
        }

        return json;
    }
}
