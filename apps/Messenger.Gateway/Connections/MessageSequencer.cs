namespace Messenger.Gateway.Connections;

/// <summary>
/// The highest seq a connection has been given per conversation. A message at or below it is a duplicate; one
/// further ahead than the next means a gap the connection must fill from the store first. The connection's own
/// messages (their <c>sent</c>) count as given too; where nothing is known of the conversation yet, an own seq is kept
/// aside instead of becoming the position, so that others' earlier messages still in flight are not taken for given.
/// </summary>
internal sealed class MessageSequencer
{
    private readonly Dictionary<string, long> last = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<long>> ownAhead = new(StringComparer.Ordinal);

    /// <summary>The position after which the connection needs messages, or null where nothing is known yet.</summary>
    public long? LastOf(string conversationId) => last.TryGetValue(conversationId, out var seq) ? seq : null;

    public void MoveTo(string conversationId, long seq)
    {
        if (!last.TryGetValue(conversationId, out var current) || seq > current)
        {
            last[conversationId] = seq;
        }

        AbsorbOwn(conversationId);
    }

    /// <summary>
    /// The connection's own message went out as <c>sent</c>. Where the position is known (the gap before it filled
    /// first), it moves there; where it is not, the seq waits aside until the position reaches it.
    /// </summary>
    public void GiveOwn(string conversationId, long seq)
    {
        if (last.ContainsKey(conversationId))
        {
            MoveTo(conversationId, seq);
            return;
        }

        if (!ownAhead.TryGetValue(conversationId, out var own))
        {
            ownAhead[conversationId] = own = [];
        }

        own.Add(seq);
    }

    /// <summary>
    /// Where a gap fill before a new message starts: the position, or where nothing else is known, just before the
    /// oldest own message given (what lies between it and the new message went to nobody yet on this connection).
    /// </summary>
    public long? FillFrom(string conversationId) =>
        LastOf(conversationId) ?? (ownAhead.TryGetValue(conversationId, out var own) ? own.Min - 1 : null);

    /// <summary>True for an own message already given (by its <c>sent</c>) that a gap fill must not replay.</summary>
    public bool IsOwnGiven(string conversationId, long seq) => ownAhead.TryGetValue(conversationId, out var own) && own.Contains(seq);

    /// <summary>Sets the position outright (a sync starts from the client's cursor and replays everything above it).</summary>
    public void Reset(string conversationId, long seq)
    {
        last[conversationId] = seq;
        ownAhead.Remove(conversationId);
    }

    /// <summary>Own seqs at or right after the position are given: the position moves past them.</summary>
    private void AbsorbOwn(string conversationId)
    {
        if (!ownAhead.TryGetValue(conversationId, out var own))
        {
            return;
        }

        var position = last[conversationId];
        while (own.Count > 0 && own.Min <= position + 1)
        {
            position = Math.Max(position, own.Min);
            own.Remove(own.Min);
        }

        last[conversationId] = position;
        if (own.Count == 0)
        {
            ownAhead.Remove(conversationId);
        }
    }
}
