using System.Text;
using System.Text.Json.Nodes;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>What the sidecar makes of a publish: a CloudEvents 1.0 envelope with the JSON data inline.</summary>
internal static class CloudEvents
{
    public const string MediaType = "application/cloudevents+json";

    public static PublishedEvent Wrap(string pubsub, string topic, byte[] data, string? id = null)
    {
        id ??= Guid.NewGuid().ToString();
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = "test",
            ["type"] = "com.dapr.event.sent",
            ["datacontenttype"] = "application/json",
            ["topic"] = topic,
            ["pubsubname"] = pubsub,
            ["data"] = JsonNode.Parse(data),
        };
        return new PublishedEvent(pubsub, topic, id, Encoding.UTF8.GetBytes(envelope.ToJsonString()), data);
    }
}
