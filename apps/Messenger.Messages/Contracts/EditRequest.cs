namespace Messenger.Messages.Contracts;

/// <summary>The new text of one's own message.</summary>
public sealed record EditRequest(string? ClientMessageId, string? Text);
