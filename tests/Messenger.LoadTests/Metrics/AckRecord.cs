namespace Messenger.LoadTests.Metrics;

/// <summary>A <c>sent</c> acknowledgement: the message got this seq, sent by the user with this index.</summary>
public readonly record struct AckRecord(string ConversationId, long Seq, int SenderIndex);
