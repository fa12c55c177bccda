namespace Messenger.Messages.Contracts;

public sealed record ReceiptResponse(string UserId, long DeliveredSeq, long ReadSeq);
