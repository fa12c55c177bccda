using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// Conversation state in SQLite with an in-memory copy: in one process the serial owner is the only writer, so the
/// copy is updated only after a save has committed and never goes stale. A message or change of one writes its own row
/// and nothing else: the head (last seq, last activity) is read from the messages when the state is loaded. Messages
/// are appended to the <see cref="SqliteMessageLog"/>, whose rows not merged yet come after the table's; a change is
/// stored in the table once the log is flushed.
/// </summary>
public sealed class SqliteConversationStateStore(SqliteDatabase database) : IConversationStateStore
{
    private readonly ConcurrentDictionary<string, ConversationState> cache = new(StringComparer.Ordinal);

    public Task<ConversationState?> LoadAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(conversationId, out var cached))
        {
            return Task.FromResult<ConversationState?>(cached);
        }

        var state = Read(conversationId);
        if (state is not null)
        {
            cache.TryAdd(conversationId, state);
        }

        return Task.FromResult(state);
    }

    public Task<Message?> FindByClientMessageIdAsync(string conversationId, string senderId, string clientMessageId, CancellationToken cancellationToken)
    {
        if (database.Log.Find(conversationId, senderId, clientMessageId) is { } logged)
        {
            return Task.FromResult<Message?>(logged);
        }

        if (!database.ClientIds.MightExist(conversationId, senderId, clientMessageId))
        {
            return Task.FromResult<Message?>(null);
        }

        using var connection = database.OpenRead();
        var command = connection.Command(
            $"{SqliteMessageRows.Select} WHERE m.conversation_id = $conv AND m.sender_id = $sender AND m.client_message_id = $client",
            ("$conv", conversationId), ("$sender", senderId), ("$client", clientMessageId));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? SqliteMessageRows.Read(reader) : null);
    }

    public Task<Message?> FindBySeqAsync(string conversationId, long seq, CancellationToken cancellationToken)
    {
        // A message still in the log was never changed: a change flushes the log before it is stored.
        if (database.Log.Find(conversationId, seq) is { } logged)
        {
            return Task.FromResult<Message?>(logged);
        }

        using var connection = database.OpenRead();
        var command = connection.Command($"{SqliteMessageRows.Select} WHERE m.conversation_id = $conv AND m.seq = $seq", ("$conv", conversationId), ("$seq", seq));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? SqliteMessageRows.Read(reader) : null);
    }

    public Task SaveCreatedAsync(ConversationState state, CancellationToken cancellationToken) =>
        SaveAsync(state, c =>
        {
            c.Execute(
                """
                INSERT INTO conversations(conversation_id, type, title, creator_id, created_at, last_seq, last_activity_at, blocked_by)
                VALUES($id, $type, $title, $creator, $created, $seq, $activity, $blocked)
                """,
                ("$id", state.ConversationId), ("$type", (int)state.Type), ("$title", state.Title), ("$creator", state.CreatorId),
                ("$created", state.CreatedAt.ToMs()), ("$seq", state.LastSeq), ("$activity", state.LastActivityAt.ToMs()),
                ("$blocked", BlockedByJson(state)));
            foreach (var member in state.MemberIds)
            {
                InsertMember(c, state.ConversationId, member);
            }

            UpdateRoles(c, state);
        }, cancellationToken);

    public async Task SaveAppendedAsync(ConversationState state, Message message, CancellationToken cancellationToken)
    {
        // The log has no key to refuse a seq taken already (it is what keeps an append cheap); the head held here
        // does, as it follows every committed save.
        var head = await LoadAsync(message.ConversationId, cancellationToken);
        if (head is not null && message.Seq <= head.LastSeq)
        {
            throw new InvalidOperationException($"Seq {message.Seq} of conversation {message.ConversationId} is taken (the last is {head.LastSeq}).");
        }

        await database.Log.AppendAsync(message, cancellationToken);
        database.ClientIds.Stored(message);
        cache[state.ConversationId] = state;
    }

    /// <summary>The event and its target's fold in one transaction, in the messages table (the log flushed first).</summary>
    public async Task SaveChangedAsync(ConversationState state, Message change, Message target, CancellationToken cancellationToken)
    {
        await database.Log.FlushAsync(state.ConversationId, cancellationToken);
        await SaveAsync(state, c =>
        {
            SqliteMessageRows.Insert(c, change);
            SqliteMessageRows.Fold(c, target);
        }, cancellationToken);
        database.ClientIds.Stored(change);
    }

    public async Task SaveHiddenAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken) =>
        await database.Writer.WriteAsync(
            c => c.Execute(
                "INSERT INTO hidden_messages(conversation_id, user_id, seq) VALUES($conv, $user, $seq) ON CONFLICT DO NOTHING",
                ("$conv", conversationId), ("$user", userId), ("$seq", seq)),
            cancellationToken);

    public Task SaveCursorAsync(ConversationState state, string userId, CancellationToken cancellationToken)
    {
        var cursor = state.CursorOf(userId);
        return SaveAsync(state, c => c.Execute(
            "UPDATE members SET delivered_seq = $d, read_seq = $r WHERE conversation_id = $conv AND user_id = $user",
            ("$d", cursor.DeliveredSeq), ("$r", cursor.ReadSeq), ("$conv", state.ConversationId), ("$user", userId)), cancellationToken);
    }

    public Task SaveMembersAsync(ConversationState state, string? added, string? removed, CancellationToken cancellationToken) =>
        SaveAsync(state, c =>
        {
            if (added is not null)
            {
                InsertMember(c, state.ConversationId, added);
            }

            if (removed is not null)
            {
                c.Execute("DELETE FROM members WHERE conversation_id = $conv AND user_id = $user", ("$conv", state.ConversationId), ("$user", removed));
            }

            UpdateRoles(c, state);
            UpdateActivity(c, state);
        }, cancellationToken);

    public Task SaveBlocksAsync(ConversationState state, CancellationToken cancellationToken) =>
        SaveAsync(state, c => c.Execute(
            "UPDATE conversations SET blocked_by = $blocked WHERE conversation_id = $id", ("$blocked", BlockedByJson(state)), ("$id", state.ConversationId)),
            cancellationToken);

    private async Task SaveAsync(ConversationState state, Action<SqliteConnection> write, CancellationToken cancellationToken)
    {
        // Once queued, a write commits whether or not its caller still waits; the copy must follow it either way.
        cancellationToken.ThrowIfCancellationRequested();
        await database.Writer.WriteAsync(c => { write(c); return true; }, CancellationToken.None);
        cache[state.ConversationId] = state;
    }

    private static void InsertMember(SqliteConnection c, string conversationId, string userId) =>
        c.Execute("INSERT INTO members(conversation_id, user_id) VALUES($conv, $user) ON CONFLICT DO NOTHING", ("$conv", conversationId), ("$user", userId));

    /// <summary>Marks exactly the stored admins (<see cref="ConversationState.AdminIds"/>) with role 1.</summary>
    private static void UpdateRoles(SqliteConnection c, ConversationState state) =>
        c.Execute(
            "UPDATE members SET role = (user_id IN (SELECT value FROM json_each($admins))) WHERE conversation_id = $conv",
            ("$admins", JsonSerializer.Serialize(state.AdminIds.IsDefault ? [] : state.AdminIds.ToArray())), ("$conv", state.ConversationId));

    private static string? BlockedByJson(ConversationState state) =>
        state.BlockedBy.IsDefaultOrEmpty ? null : JsonSerializer.Serialize(state.BlockedBy.ToArray());

    /// <summary>A member added moves the conversation up a list: the one activity that is no message row.</summary>
    private static void UpdateActivity(SqliteConnection c, ConversationState state) =>
        c.Execute(
            "UPDATE conversations SET last_activity_at = $activity WHERE conversation_id = $id",
            ("$activity", state.LastActivityAt.ToMs()), ("$id", state.ConversationId));

    private ConversationState? Read(string conversationId)
    {
        var logged = database.Log.Pending(conversationId);
        using var connection = database.OpenRead();
        var head = connection.Command(
            // The head from the messages: the highest seq (last_seq is written at creation only), and the later of
            // the last message (not a change of one) and the last activity stored (creation, a member added; a
            // database from before this also kept it per send).
            """
            SELECT type, title, creator_id, created_at,
                   COALESCE((SELECT MAX(seq) FROM messages WHERE conversation_id = $id), 0),
                   MAX(last_activity_at, COALESCE((SELECT sent_at FROM messages WHERE conversation_id = $id AND kind = 0 ORDER BY seq DESC LIMIT 1), 0)),
                   blocked_by
            FROM conversations WHERE conversation_id = $id
            """,
            ("$id", conversationId));
        using var reader = head.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var members = ImmutableArray.CreateBuilder<string>();
        var admins = ImmutableArray.CreateBuilder<string>();
        var cursors = ImmutableDictionary.CreateBuilder<string, Cursor>(StringComparer.Ordinal);
        var rows = connection.Command(
            "SELECT user_id, delivered_seq, read_seq, role FROM members WHERE conversation_id = $id ORDER BY rowid", ("$id", conversationId));
        using (var memberReader = rows.ExecuteReader())
        {
            while (memberReader.Read())
            {
                var userId = memberReader.GetString(0);
                members.Add(userId);
                if (memberReader.GetInt64(3) == 1)
                {
                    admins.Add(userId);
                }

                var cursor = new Cursor(memberReader.GetInt64(1), memberReader.GetInt64(2));
                if (cursor != Cursor.Zero)
                {
                    cursors[userId] = cursor;
                }
            }
        }

        // The log's rows come after the table's (and are messages: a change is stored in the table).
        var lastSeq = logged.Count == 0 ? reader.GetInt64(4) : logged[^1].Seq;
        var lastActivity = reader.GetInt64(5).ToTime();
        if (logged.LastOrDefault(m => m.IsMessage) is { } newest && newest.SentAt > lastActivity)
        {
            lastActivity = newest.SentAt;
        }

        return new ConversationState(
            conversationId, (ConversationType)reader.GetInt32(0), reader.StringOrNull(1), reader.GetString(2), reader.GetInt64(3).ToTime(),
            members.ToImmutable(), lastSeq, lastActivity, cursors.ToImmutable())
        {
            AdminIds = admins.ToImmutable(),
            BlockedBy = reader.StringOrNull(6) is { } blocked ? [.. JsonSerializer.Deserialize<string[]>(blocked) ?? []] : [],
        };
    }
}
