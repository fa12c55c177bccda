using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Protocol;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>How a message maps to a row of <c>messages</c>.</summary>
internal static class SqliteMessageRows
{
    public const string Columns = "message_id, conversation_id, seq, sender_id, client_message_id, text, media, sent_at";

    public static Message Read(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.StringOrNull(5),
            r.IsDBNull(6) ? null : JsonSerializer.Deserialize(r.GetString(6), ProtocolJson.Default.MediaInfo),
            r.GetInt64(7).ToTime());

    public static void Insert(SqliteConnection connection, Message m) =>
        connection.Execute(
            $"INSERT INTO messages({Columns}) VALUES($id, $conv, $seq, $sender, $client, $text, $media, $at)",
            ("$id", m.MessageId), ("$conv", m.ConversationId), ("$seq", m.Seq), ("$sender", m.SenderId), ("$client", m.ClientMessageId),
            ("$text", m.Text), ("$media", m.Media is null ? null : JsonSerializer.Serialize(m.Media, ProtocolJson.Default.MediaInfo)),
            ("$at", m.SentAt.ToMs()));
}
