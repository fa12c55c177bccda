namespace Messenger.Messages.Contracts;

public sealed record ReceiptsResponse(IReadOnlyList<ReceiptResponse> Receipts);
