namespace Messenger.Core.Protocol;

/// <summary>Replace the text of one's own message at <see cref="TargetSeq"/>.</summary>
public sealed record EditCommand(string ConversationId, string ClientMessageId, long TargetSeq, string Text) : ClientFrame, IStoredCommand;
