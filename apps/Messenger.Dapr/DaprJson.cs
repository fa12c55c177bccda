using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Messenger.Core.Protocol;

namespace Messenger.Dapr;

/// <summary>
/// The JSON of everything that goes through the sidecar (state values, pub/sub data, actor calls): camelCase,
/// enums as their contract names, timestamps in UTC to the millisecond, like the client protocol.
/// </summary>
public static class DaprJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            AllowOutOfOrderMetadataProperties = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new UtcTimestampConverter());
        options.MakeReadOnly();
        return options;
    }
}
