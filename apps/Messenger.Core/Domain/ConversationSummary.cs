namespace Messenger.Core.Domain;

/// <summary>A conversation as one member sees it in their list.</summary>
public sealed record ConversationSummary(ConversationState State, Message? LastMessage, long UnreadCount);
