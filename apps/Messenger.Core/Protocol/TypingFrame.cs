namespace Messenger.Core.Protocol;

public sealed record TypingFrame(string ConversationId, string UserId) : ServerFrame;
