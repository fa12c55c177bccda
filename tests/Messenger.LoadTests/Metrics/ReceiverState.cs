namespace Messenger.LoadTests.Metrics;

/// <summary>Everything one user has received, per conversation; kept across the user's reconnects.</summary>
public sealed class ReceiverState
{
    private readonly Dictionary<string, ConversationReceipts> conversations = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public ReceiveOutcome Record(string conversationId, long seq)
    {
        lock (gate)
        {
            if (!conversations.TryGetValue(conversationId, out var receipts))
            {
                receipts = new ConversationReceipts();
                conversations[conversationId] = receipts;
            }

            return receipts.Record(seq);
        }
    }

    public bool Has(string conversationId, long seq)
    {
        lock (gate)
        {
            return conversations.TryGetValue(conversationId, out var receipts) && receipts.Contains(seq);
        }
    }

    /// <summary>Sync cursors: per conversation the last seq before the first gap.</summary>
    public Dictionary<string, long> Cursors()
    {
        lock (gate)
        {
            return conversations.ToDictionary(pair => pair.Key, pair => pair.Value.ContiguousSeq, StringComparer.Ordinal);
        }
    }
}
