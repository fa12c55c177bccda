using System.Collections.Immutable;
using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Protocol;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// How a message maps to a row of <c>messages</c> (alias <c>m</c>). A row is kept folded: the reactions, edit and
/// delete of a message are applied to its row in the transaction that stores them. A reply's preview is never stored:
/// <see cref="Select"/> joins the quoted row (alias <c>q</c>) and works it out from that row as it is now.
/// </summary>
internal static class SqliteMessageRows
{
    public const string Select =
        """
        SELECT m.message_id, m.conversation_id, m.seq, m.sender_id, m.client_message_id, m.text, m.media, m.sent_at,
               m.kind, m.target_seq, m.emoji, m.reply_to, m.reactions, m.edited_at, m.deleted,
               q.sender_id, q.text, q.media, q.deleted
        FROM messages m LEFT JOIN messages q ON q.conversation_id = m.conversation_id AND q.seq = m.reply_to
        """;

    public const string Columns =
        "message_id, conversation_id, seq, sender_id, client_message_id, text, media, sent_at, kind, target_seq, emoji, reply_to, reactions, edited_at, deleted";

    public static Message Read(SqliteDataReader r)
    {
        var message = new Message(
            r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.StringOrNull(5), Media(r, 6), r.GetInt64(7).ToTime())
        {
            Kind = (MessageKind)r.GetInt32(8),
            TargetSeq = r.IsDBNull(9) ? null : r.GetInt64(9),
            Emoji = r.StringOrNull(10),
            ReplyTo = r.IsDBNull(11) ? null : r.GetInt64(11),
            Reactions = r.StringOrNull(12) is { } reactions ? ReactionsFrom(reactions) : null,
            EditedAt = r.IsDBNull(13) ? null : r.GetInt64(13).ToTime(),
            Deleted = r.GetInt64(14) == 1,
        };
        if (message.ReplyTo is null)
        {
            return message;
        }

        if (r.IsDBNull(15))
        {
            return message with { ReplyPreview = ReplyPreview.Gone };
        }

        var quoted = new Message(string.Empty, message.ConversationId, message.ReplyTo.Value, r.GetString(15), string.Empty, r.StringOrNull(16), Media(r, 17), default)
        {
            Deleted = r.GetInt64(18) == 1,
        };
        return message with { ReplyPreview = ReplyPreview.Of(quoted) };
    }

    private const string ValueList = "$id, $conv, $seq, $sender, $client, $text, $media, $at, $kind, $target, $emoji, $reply, $reactions, $edited, $deleted";

    private const string Values = $"VALUES({ValueList})";

    public static void Insert(SqliteConnection connection, Message m) =>
        connection.Command($"INSERT INTO messages({Columns}) {Values}", Parameters(m)).ExecuteNonQuery();

    /// <summary>
    /// Inserts rows moved from the message log, in the order given; a row already there (moved before, the log not
    /// emptied yet when the process stopped) is left as it is. Returns how many were given.
    /// </summary>
    public static int InsertUnlessThere(SqliteConnection connection, IReadOnlyCollection<Message> rows)
    {
        foreach (var m in rows)
        {
            connection.Command($"INSERT INTO messages({Columns}) {Values} ON CONFLICT(conversation_id, seq) DO NOTHING", Parameters(m)).ExecuteNonQuery();
        }

        return rows.Count;
    }

    private static (string, object?)[] Parameters(Message m) =>
    [
        ("$id", m.MessageId), ("$conv", m.ConversationId), ("$seq", m.Seq), ("$sender", m.SenderId), ("$client", m.ClientMessageId),
        ("$text", m.Text), ("$media", MediaJson(m)), ("$at", m.SentAt.ToMs()), ("$kind", (int)m.Kind), ("$target", m.TargetSeq),
        ("$emoji", m.Emoji), ("$reply", m.ReplyTo), ("$reactions", ReactionsJson(m)), ("$edited", m.EditedAt?.ToMs()), ("$deleted", m.Deleted ? 1 : 0),
    ];

    /// <summary>Writes what a reaction, edit or delete changes of a message; a delete leaves nothing of what it said.</summary>
    public static void Fold(SqliteConnection connection, Message target) =>
        connection.Execute(
            """
            UPDATE messages SET text = $text, media = $media, reply_to = $reply, reactions = $reactions, edited_at = $edited, deleted = $deleted
            WHERE conversation_id = $conv AND seq = $seq
            """,
            ("$text", target.Text), ("$media", MediaJson(target)), ("$reply", target.ReplyTo), ("$reactions", ReactionsJson(target)),
            ("$edited", target.EditedAt?.ToMs()), ("$deleted", target.Deleted ? 1 : 0), ("$conv", target.ConversationId), ("$seq", target.Seq));

    private static MediaInfo? Media(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize(r.GetString(ordinal), ProtocolJson.Default.MediaInfo);

    private static string? MediaJson(Message m) => m.Media is null ? null : JsonSerializer.Serialize(m.Media, ProtocolJson.Default.MediaInfo);

    private static string? ReactionsJson(Message m) =>
        m.Reactions is { Count: > 0 } reactions ? JsonSerializer.Serialize(reactions.ToDictionary(p => p.Key, p => p.Value.ToArray())) : null;

    private static ImmutableSortedDictionary<string, ImmutableArray<string>> ReactionsFrom(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, string[]>>(json) ?? [])
        .ToImmutableSortedDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.Ordinal);
}
