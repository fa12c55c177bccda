namespace Messenger.Core.Protocol;

/// <summary>React to the message at <see cref="TargetSeq"/> with <see cref="Emoji"/>, or take one's reaction back (null).</summary>
public sealed record ReactCommand(string ConversationId, string ClientMessageId, long TargetSeq, string? Emoji) : ClientFrame, IStoredCommand;
