namespace Messenger.LoadTests.Protocol;

/// <summary>
/// Any server-to-client WebSocket frame; only the fields the load tool reads. <see cref="SendStamp"/> is the
/// timestamp carried in a <c>sent</c> frame's clientMessageId (0 when there is none).
/// </summary>
public sealed record ServerFrame(
    string Type,
    string? ConversationId,
    long Seq,
    long SendStamp,
    MessagePayload? Message,
    string? Code,
    string? ErrorText);
