namespace Messenger.Core.Protocol;

public sealed record SentFrame(string ClientMessageId, string ConversationId, long Seq, string MessageId, DateTimeOffset SentAt) : ServerFrame;
