namespace Messenger.Messages.Contracts;

/// <summary>A reaction: one emoji, or null to take one's reaction back.</summary>
public sealed record ReactRequest(string? ClientMessageId, string? Emoji);
