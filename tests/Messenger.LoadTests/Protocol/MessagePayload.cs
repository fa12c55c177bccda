namespace Messenger.LoadTests.Protocol;

/// <summary>
/// The parts of the <c>message</c> object of a <c>message</c> frame that the load tool reads; the send timestamp is
/// taken from the text while parsing, so the text itself is never materialised.
/// </summary>
public sealed record MessagePayload(string ConversationId, long Seq, long SendStamp);
