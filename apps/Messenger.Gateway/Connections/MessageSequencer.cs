namespace Messenger.Gateway.Connections;

/// <summary>
/// The highest seq a connection has been given per conversation. A message at or below it is a duplicate; one
/// further ahead than the next means a gap the connection must fill from the store first.
/// </summary>
internal sealed class MessageSequencer
{
    private readonly Dictionary<string, long> last = new(StringComparer.Ordinal);

    /// <summary>The position after which the connection needs messages, or null where nothing is known yet.</summary>
    public long? LastOf(string conversationId) => last.TryGetValue(conversationId, out var seq) ? seq : null;

    public void MoveTo(string conversationId, long seq)
    {
        if (!last.TryGetValue(conversationId, out var current) || seq > current)
        {
            last[conversationId] = seq;
        }
    }

    /// <summary>Sets the position outright (a sync starts from the client's cursor).</summary>
    public void Reset(string conversationId, long seq) => last[conversationId] = seq;
}
