namespace Messenger.Core.Protocol;

public sealed record ReceiptFrame(string ConversationId, string UserId, long DeliveredSeq, long ReadSeq) : ServerFrame;
