namespace Messenger.Messages.Contracts;

/// <summary>A message: text, media or both; <see cref="ReplyTo"/> quotes the message at that seq.</summary>
public sealed record SendMessageRequest(string? ClientMessageId, string? Text, string? MediaId, long? ReplyTo = null);
