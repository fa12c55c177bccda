namespace Messenger.Core.Protocol;

public sealed record TypingCommand(string ConversationId) : ClientFrame;
