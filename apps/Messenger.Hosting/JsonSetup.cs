using System.Text.Json;
using System.Text.Json.Serialization;
using Messenger.Core.Protocol;
using Microsoft.AspNetCore.Http.Json;

namespace Messenger.Hosting;

public static class JsonSetup
{
    /// <summary>camelCase, enums as their contract names, protocol types from the source-generated context.</summary>
    public static void Apply(JsonOptions options)
    {
        options.SerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJson.Default);
        options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.SerializerOptions.Converters.Add(new UtcTimestampConverter());
        options.SerializerOptions.AllowOutOfOrderMetadataProperties = true;
        options.SerializerOptions.MaxDepth = 16;
        options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
    }
}
