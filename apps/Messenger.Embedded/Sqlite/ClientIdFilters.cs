using System.Collections.Concurrent;
using Messenger.Core.Domain;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// Answers "was this clientMessageId stored in this conversation?" without a read in the common case, a new id: each
/// conversation's ids are kept in a <see cref="ClientIdFilter"/>, built from the table (and the message log) the first
/// time the conversation is asked about and told of every message and change stored after that. A "maybe" is looked
/// up in the table by the caller.
/// </summary>
/// <remarks>
/// The filter must hold every id stored, or a retried send would be stored twice: it is built from the log's rows of
/// the conversation first and the table after, so that a merge between the two reads cannot hide a row from both, and
/// every save of a message or change adds its id. One conversation is asked about and saved to by its owner only, one
/// call at a time.
/// </remarks>
public sealed class ClientIdFilters(SqliteDatabase database)
{
    private readonly ConcurrentDictionary<string, ClientIdFilter> filters = new(StringComparer.Ordinal);

    /// <summary>False when the sender's id is certainly not stored in the conversation.</summary>
    public bool MightExist(string conversationId, string senderId, string clientMessageId)
    {
        if (!filters.TryGetValue(conversationId, out var filter) || filter.Full)
        {
            filter = Build(conversationId, filter?.Count ?? 0);
            filters[conversationId] = filter;
        }

        return filter.MightContain(senderId, clientMessageId);
    }

    /// <summary>A message or change stored in the conversation (a filter not built yet reads it from the store when it is).</summary>
    public void Stored(Message message)
    {
        if (filters.TryGetValue(message.ConversationId, out var filter))
        {
            filter.Add(message.SenderId, message.ClientMessageId);
        }
    }

    private ClientIdFilter Build(string conversationId, int atLeast)
    {
        var ids = new List<(string Sender, string ClientId)>(atLeast);
        ids.AddRange(database.Log.Pending(conversationId).Select(m => (m.SenderId, m.ClientMessageId)));
        using (var connection = database.OpenRead())
        {
            using var reader = connection
                .Command("SELECT sender_id, client_message_id FROM messages WHERE conversation_id = $conv", ("$conv", conversationId))
                .ExecuteReader();
            while (reader.Read())
            {
                ids.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var filter = new ClientIdFilter(ids.Count);
        foreach (var (sender, clientId) in ids)
        {
            filter.Add(sender, clientId);
        }

        return filter;
    }
}
