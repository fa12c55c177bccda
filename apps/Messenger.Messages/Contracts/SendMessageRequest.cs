namespace Messenger.Messages.Contracts;

public sealed record SendMessageRequest(string? ClientMessageId, string? Text, string? MediaId);
