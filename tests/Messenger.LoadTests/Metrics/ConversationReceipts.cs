namespace Messenger.LoadTests.Metrics;

/// <summary>The seqs one user has received in one conversation.</summary>
public sealed class ConversationReceipts
{
    private readonly HashSet<long> seqs = [];

    public long MaxSeq { get; private set; }

    /// <summary>The highest seq such that every seq from 1 to it has been received: the cursor a client syncs from.</summary>
    public long ContiguousSeq { get; private set; }

    public int Count => seqs.Count;

    public bool Contains(long seq) => seqs.Contains(seq);

    public ReceiveOutcome Record(long seq)
    {
        if (!seqs.Add(seq))
        {
            return ReceiveOutcome.Duplicate;
        }

        while (seqs.Contains(ContiguousSeq + 1))
        {
            ContiguousSeq++;
        }

        if (seq < MaxSeq)
        {
            return ReceiveOutcome.OutOfOrder;
        }

        MaxSeq = seq;
        return ReceiveOutcome.InOrder;
    }
}
