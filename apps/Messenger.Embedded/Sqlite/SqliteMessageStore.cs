using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

public sealed class SqliteMessageStore(SqliteDatabase database, IConversationStateStore states) : IMessageStore
{
    public Task<IReadOnlyList<Message>> GetMessagesAsync(string conversationId, HistoryQuery query, CancellationToken cancellationToken)
    {
        // The log's rows first, then the table below the first of them: a merge in between moves rows the table
        // part does not read, so none is missed and none comes twice.
        var pending = database.Log.Pending(conversationId);
        var tableBefore = pending.Count > 0 ? Math.Min(pending[0].Seq, query.BeforeSeq ?? long.MaxValue) : query.BeforeSeq;
        var logged = pending
            .Where(m => (query.AfterSeq is not { } after || m.Seq > after) && (query.BeforeSeq is not { } before || m.Seq < before))
            .ToList();

        // Newest first for "before" and "latest", oldest first for "after"; always returned ascending.
        var (sql, ascending) = query switch
        {
            { AfterSeq: { } } => ("m.seq > $after AND ($before IS NULL OR m.seq < $before) ORDER BY m.seq ASC", true),
            _ => ("($before IS NULL OR m.seq < $before) ORDER BY m.seq DESC", false),
        };
        using var connection = database.OpenRead();
        var command = connection.Command(
            $"{SqliteMessageRows.Select} WHERE m.conversation_id = $conv AND {sql} LIMIT $limit",
            ("$conv", conversationId), ("$after", query.AfterSeq), ("$before", tableBefore), ("$limit", query.Limit));
        using var reader = command.ExecuteReader();
        var table = new List<Message>(query.Limit);
        while (reader.Read())
        {
            table.Add(SqliteMessageRows.Read(reader));
        }

        if (ascending)
        {
            return Task.FromResult<IReadOnlyList<Message>>([.. table.Concat(logged).Take(query.Limit)]);
        }

        logged.Reverse();
        var page = logged.Concat(table).Take(query.Limit).ToList();
        page.Reverse();
        return Task.FromResult<IReadOnlyList<Message>>(page);
    }

    public Task<IReadOnlyList<Message>> GetRangeAsync(string conversationId, long fromSeq, long toSeq, CancellationToken cancellationToken) =>
        GetMessagesAsync(conversationId, new HistoryQuery(fromSeq - 1, toSeq + 1, (int)Math.Max(0, toSeq - fromSeq + 1)), cancellationToken);

    public Task<IReadOnlySet<long>> GetHiddenAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        var command = connection.Command(
            "SELECT seq FROM hidden_messages WHERE conversation_id = $conv AND user_id = $user", ("$conv", conversationId), ("$user", userId));
        using var reader = command.ExecuteReader();
        var seqs = new HashSet<long>();
        while (reader.Read())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return Task.FromResult<IReadOnlySet<long>>(seqs);
    }

    public async Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string userId, CancellationToken cancellationToken)
    {
        var summaries = new List<ConversationSummary>();
        foreach (var id in await GetConversationIdsAsync(userId, cancellationToken))
        {
            var state = await states.LoadAsync(id, cancellationToken);
            if (state is null || !state.IsMember(userId))
            {
                continue;
            }

            summaries.Add(Summarise(state, userId));
        }

        return summaries.OrderByDescending(s => s.State.LastActivityAt).ThenBy(s => s.State.ConversationId, StringComparer.Ordinal).ToList();
    }

    public async Task<ConversationSummary?> GetSummaryAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        var state = await states.LoadAsync(conversationId, cancellationToken);
        return state is not null && state.IsMember(userId) ? Summarise(state, userId) : null;
    }

    public Task<IReadOnlyList<string>> GetConversationIdsAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Strings("SELECT conversation_id FROM members WHERE user_id = $user", userId));

    public Task<IReadOnlyList<string>> GetContactIdsAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Strings(
            """
            SELECT DISTINCT other.user_id FROM members mine
            JOIN members other ON other.conversation_id = mine.conversation_id
            WHERE mine.user_id = $user AND other.user_id <> $user
            """,
            userId));

    public Task<string?> FindDirectPairAsync(string userA, string userB, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        return Task.FromResult((string?)connection.Command("SELECT conversation_id FROM direct_pairs WHERE pair_key = $key", ("$key", PairKey(userA, userB))).ExecuteScalar());
    }

    public Task<string> ClaimDirectPairAsync(string userA, string userB, string conversationId, CancellationToken cancellationToken)
    {
        var key = PairKey(userA, userB);
        return database.Writer.WriteAsync(c =>
        {
            c.Execute("INSERT INTO direct_pairs(pair_key, conversation_id) VALUES($key, $id) ON CONFLICT DO NOTHING", ("$key", key), ("$id", conversationId));
            var select = c.Command("SELECT conversation_id FROM direct_pairs WHERE pair_key = $key", ("$key", key));
            return (string)select.ExecuteScalar()!;
        }, cancellationToken);
    }

    private ConversationSummary Summarise(ConversationState state, string userId)
    {
        // As in GetMessagesAsync: the log's rows first, the table below them.
        var logged = database.Log.Pending(state.ConversationId);
        var tableBefore = logged.Count > 0 ? logged[0].Seq : long.MaxValue;
        var read = state.CursorOf(userId).ReadSeq;
        using var connection = database.OpenRead();

        // The last message, as folded: reactions, edits and deletes are no message of their own.
        var last = logged.LastOrDefault(m => m.IsMessage);
        if (last is null && state.LastSeq > 0)
        {
            var command = connection.Command(
                $"{SqliteMessageRows.Select} WHERE m.conversation_id = $conv AND m.kind = 0 AND m.seq < $below ORDER BY m.seq DESC LIMIT 1",
                ("$conv", state.ConversationId), ("$below", tableBefore));
            using var reader = command.ExecuteReader();
            last = reader.Read() ? SqliteMessageRows.Read(reader) : null;
        }

        var unread = (long)connection.Command(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = $conv AND seq > $read AND seq < $below AND sender_id <> $user AND kind = 0",
            ("$conv", state.ConversationId), ("$read", read), ("$below", tableBefore), ("$user", userId)).ExecuteScalar()!;
        unread += logged.Count(m => m.IsMessage && m.Seq > read && m.SenderId != userId);
        return new ConversationSummary(state, last, unread);
    }

    private static string PairKey(string userA, string userB) =>
        string.CompareOrdinal(userA, userB) < 0 ? $"{userA}:{userB}" : $"{userB}:{userA}";

    private ImmutableArray<string> Strings(string sql, string userId)
    {
        using var connection = database.OpenRead();
        var command = connection.Command(sql, ("$user", userId));
        using var reader = command.ExecuteReader();
        var values = ImmutableArray.CreateBuilder<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values.ToImmutable();
    }
}
