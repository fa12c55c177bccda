using System.Text.Json;
using System.Text.Json.Serialization;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Protocol;

/// <summary>Source-generated JSON metadata for everything the tool and the relay read or write.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(AuthRequest))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(CreateConversationRequest))]
[JsonSerializable(typeof(ConversationResponse))]
[JsonSerializable(typeof(ClientFrame))]
[JsonSerializable(typeof(MessagePayload))]
[JsonSerializable(typeof(LoadReport))]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(Relay.RelayConversationDto))]
public sealed partial class LoadJsonContext : JsonSerializerContext;
