namespace Messenger.LoadTests.Protocol;

/// <summary>The <c>message</c> object of a <c>message</c> frame.</summary>
public sealed record MessagePayload(
    string? MessageId,
    string ConversationId,
    long Seq,
    string? SenderId,
    string? ClientMessageId,
    string? Text,
    DateTimeOffset? SentAt);
