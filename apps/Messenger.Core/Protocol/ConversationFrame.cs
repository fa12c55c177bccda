namespace Messenger.Core.Protocol;

public sealed record ConversationFrame(ConversationDto Conversation) : ServerFrame;
