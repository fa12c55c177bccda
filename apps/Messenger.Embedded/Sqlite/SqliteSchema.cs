using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The tables; times are Unix milliseconds. <c>messages</c> holds every event of a conversation at its seq:
/// <c>kind</c> 0 message, 1 reaction, 2 edit, 3 delete (<c>target_seq</c> names the message a change is about);
/// a message's row is kept folded (<c>reactions</c> JSON, <c>edited_at</c>, <c>deleted</c>). <c>hidden_messages</c>
/// are the seqs each user hid from their own history ("delete for me").
/// </summary>
internal static class SqliteSchema
{
    private const string Ddl = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS users(
            user_id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen INTEGER) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS conversations(
            conversation_id TEXT PRIMARY KEY,
            type INTEGER NOT NULL,
            title TEXT,
            creator_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            last_activity_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS members(
            conversation_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            delivered_seq INTEGER NOT NULL DEFAULT 0,
            read_seq INTEGER NOT NULL DEFAULT 0,
            UNIQUE(conversation_id, user_id));
        CREATE INDEX IF NOT EXISTS members_by_user ON members(user_id, conversation_id);
        CREATE TABLE IF NOT EXISTS messages(
            conversation_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            client_message_id TEXT NOT NULL,
            text TEXT,
            media TEXT,
            sent_at INTEGER NOT NULL,
            PRIMARY KEY(conversation_id, seq)) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client_id ON messages(conversation_id, sender_id, client_message_id);
        CREATE TABLE IF NOT EXISTS hidden_messages(
            conversation_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY(conversation_id, user_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS direct_pairs(
            pair_key TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS devices(
            token TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            platform INTEGER NOT NULL,
            registered_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS devices_by_user ON devices(user_id);
        """;

    /// <summary>members.role: 1 for a group's admin, 0 otherwise (a group stored before roles has none: see ConversationState.Admins).</summary>
    public const string RoleColumn = "role";

    /// <summary>conversations.blocked_by: in a direct conversation, the JSON array of the members who block the other; NULL when none.</summary>
    public const string BlockedByColumn = "blocked_by";

    public static void Apply(SqliteConnection connection)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Ddl;
            command.ExecuteNonQuery();
        }

        // Databases made before roles and blocks get the columns: every member a plain member, nobody blocking.
        AddColumn(connection, "members", RoleColumn, "INTEGER NOT NULL DEFAULT 0");
        AddColumn(connection, "conversations", BlockedByColumn, "TEXT");

        // Databases made before replies, reactions, edits and deletes: every row a message (kind 0), none changed.
        AddColumn(connection, "messages", "kind", "INTEGER NOT NULL DEFAULT 0");
        AddColumn(connection, "messages", "target_seq", "INTEGER");
        AddColumn(connection, "messages", "emoji", "TEXT");
        AddColumn(connection, "messages", "reply_to", "INTEGER");
        AddColumn(connection, "messages", "reactions", "TEXT");
        AddColumn(connection, "messages", "edited_at", "INTEGER");
        AddColumn(connection, "messages", "deleted", "INTEGER NOT NULL DEFAULT 0");
    }

    private static void AddColumn(SqliteConnection connection, string table, string column, string definition)
    {
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT 1 FROM pragma_table_info($table) WHERE name = $name";
            exists.Parameters.AddWithValue("$table", table);
            exists.Parameters.AddWithValue("$name", column);
            if (exists.ExecuteScalar() is not null)
            {
                return;
            }
        }

        using var alter = connection.CreateCommand();
        alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
        alter.ExecuteNonQuery();
    }
}
