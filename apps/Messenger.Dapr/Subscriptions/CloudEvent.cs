using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Messenger.Dapr.Subscriptions;

/// <summary>
/// An event as the sidecar delivers it: a CloudEvent (<c>application/cloudevents+json</c>) whose <c>data</c> is the
/// published object, or, for a raw payload, the object itself. <see cref="TraceParent"/> and <see cref="TraceState"/>
/// are the W3C trace context Dapr puts in every CloudEvent it wraps (the publisher's).
/// </summary>
public sealed record CloudEvent(string Id, string Type, string Source, string Topic, JsonElement? Data)
{
    /// <summary>The CloudEvent's <c>traceparent</c> extension (W3C), or null.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The CloudEvent's <c>tracestate</c> extension (W3C), or null.</summary>
    public string? TraceState { get; init; }

    private const string CloudEventsMediaType = "application/cloudevents+json";

    public static async Task<CloudEvent?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            var structured = root.ValueKind == JsonValueKind.Object
                && ((request.ContentType?.StartsWith(CloudEventsMediaType, StringComparison.OrdinalIgnoreCase) ?? false) || root.TryGetProperty("specversion", out _));
            if (!structured)
            {
                return new CloudEvent(string.Empty, string.Empty, string.Empty, string.Empty, root.Clone());
            }

            return new CloudEvent(Text(root, "id"), Text(root, "type"), Text(root, "source"), Text(root, "topic"), ReadData(root))
            {
                TraceParent = Optional(root, "traceparent"),
                TraceState = Optional(root, "tracestate"),
            };
        }
    }

    private static JsonElement? ReadData(JsonElement root)
    {
        if (root.TryGetProperty("data", out var data))
        {
            if (data.ValueKind == JsonValueKind.String && Text(root, "datacontenttype").Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                // Some publishers put JSON in data as a string.
                try
                {
                    using var inner = JsonDocument.Parse(data.GetString()!);
                    return inner.RootElement.Clone();
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            return data.Clone();
        }

        if (root.TryGetProperty("data_base64", out var base64) && base64.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(Convert.FromBase64String(base64.GetString()!));
                return inner.RootElement.Clone();
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return null;
            }
        }

        return null;
    }

    private static string? Optional(JsonElement root, string name) => Text(root, name) is { Length: > 0 } text ? text : null;

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
