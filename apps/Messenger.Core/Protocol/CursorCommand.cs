namespace Messenger.Core.Protocol;

/// <summary><c>delivered</c> or <c>read</c>, by <see cref="Read"/>.</summary>
public sealed record CursorCommand(string ConversationId, long Seq, bool Read) : ClientFrame;
