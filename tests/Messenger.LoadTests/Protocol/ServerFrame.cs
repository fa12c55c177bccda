namespace Messenger.LoadTests.Protocol;

/// <summary>Any server-to-client WebSocket frame; only the fields the load tool reads.</summary>
public sealed record ServerFrame(
    string Type,
    string? ClientMessageId,
    string? ConversationId,
    long Seq,
    MessagePayload? Message,
    string? Code,
    string? ErrorText);
