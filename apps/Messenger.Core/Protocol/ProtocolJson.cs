using System.Text.Json;
using System.Text.Json.Serialization;
using Messenger.Core.Domain;
using Messenger.Core.Events;

namespace Messenger.Core.Protocol;

/// <summary>Source-generated JSON for everything that crosses a wire: camelCase, enums as camelCase strings.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    AllowOutOfOrderMetadataProperties = true,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(ServerFrame))]
[JsonSerializable(typeof(ConversationDto))]
[JsonSerializable(typeof(List<ConversationDto>))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(DeliveryRequested))]
[JsonSerializable(typeof(PushRequested))]
public sealed partial class ProtocolJson : JsonSerializerContext;
