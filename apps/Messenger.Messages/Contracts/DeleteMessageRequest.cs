namespace Messenger.Messages.Contracts;

/// <summary>The body a delete may carry instead of an <c>Idempotency-Key</c> header.</summary>
public sealed record DeleteMessageRequest(string? ClientMessageId);
