namespace Messenger.Core.Protocol;

/// <summary>Delete one's own message at <see cref="TargetSeq"/> for everyone.</summary>
public sealed record DeleteCommand(string ConversationId, string ClientMessageId, long TargetSeq) : ClientFrame, IStoredCommand;
