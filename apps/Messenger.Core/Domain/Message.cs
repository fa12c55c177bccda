namespace Messenger.Core.Domain;

public sealed record Message(
    string MessageId,
    string ConversationId,
    long Seq,
    string SenderId,
    string ClientMessageId,
    string? Text,
    MediaInfo? Media,
    DateTimeOffset SentAt);
