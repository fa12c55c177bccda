namespace Messenger.Core.Protocol;

/// <summary>The user is no longer a member of the conversation (left or removed).</summary>
public sealed record ConversationRemovedFrame(string ConversationId) : ServerFrame;
