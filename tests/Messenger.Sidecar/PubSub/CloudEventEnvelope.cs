using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Sidecar.PubSub;

/// <summary>
/// Dapr's CloudEvent envelope around a published payload (what daprd puts on the broker): id, source (the
/// publisher's app id), type <c>com.dapr.event.sent</c>, specversion 1.0, datacontenttype, topic, pubsubname,
/// traceid/traceparent/tracestate, time and data (JSON kept as JSON, text as a string, anything else as
/// data_base64). A payload that already is a CloudEvent (<c>application/cloudevents+json</c>) keeps its fields and
/// gets the ones it lacks; topic and pubsubname are always the publish's.
/// </summary>
public static class CloudEventEnvelope
{
    public const string ContentType = "application/cloudevents+json";
    public const string EventType = "com.dapr.event.sent";

    public static byte[] Wrap(byte[] data, string? dataContentType, string source, string pubSub, string topic, string traceParent, string? traceState)
    {
        var contentType = string.IsNullOrEmpty(dataContentType) ? "text/plain" : dataContentType;
        JsonObject envelope;
        if (IsCloudEvent(contentType))
        {
            envelope = JsonNode.Parse(data) as JsonObject ?? throw new JsonException("A CloudEvent payload must be a JSON object.");
            envelope.TryAdd("id", Guid.NewGuid().ToString());
            envelope.TryAdd("source", source);
            envelope.TryAdd("type", EventType);
            envelope.TryAdd("specversion", "1.0");
            envelope.TryAdd("datacontenttype", "application/json");
        }
        else
        {
            envelope = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["source"] = source,
                ["type"] = EventType,
                ["specversion"] = "1.0",
                ["datacontenttype"] = contentType,
            };
            if (IsJson(contentType))
            {
                envelope["data"] = data.Length == 0 ? null : JsonNode.Parse(data);
            }
            else if (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                envelope["data"] = Encoding.UTF8.GetString(data);
            }
            else
            {
                envelope["data_base64"] = Convert.ToBase64String(data);
            }
        }

        envelope["topic"] = topic;
        envelope["pubsubname"] = pubSub;
        envelope.TryAdd("traceid", traceParent);
        envelope.TryAdd("traceparent", traceParent);
        if (traceState is not null)
        {
            envelope.TryAdd("tracestate", traceState);
        }

        envelope.TryAdd("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture));
        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }

    /// <summary>A W3C traceparent for an event published without one.</summary>
    public static string NewTraceParent() =>
        $"00-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}-01";

    private static bool IsCloudEvent(string contentType) => contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(string contentType)
    {
        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
