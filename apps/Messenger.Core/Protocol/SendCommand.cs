namespace Messenger.Core.Protocol;

public sealed record SendCommand(string ConversationId, string ClientMessageId, string? Text, string? MediaId, long? ReplyTo = null) : ClientFrame, IStoredCommand;
