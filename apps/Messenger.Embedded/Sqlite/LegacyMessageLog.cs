using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The message log of the release before the log's own files: a SQLite file beside the database (<c>.log.db</c>,
/// table <c>message_log</c>). On opening, what a process of that release left in it is merged and the file removed.
/// </summary>
internal static class LegacyMessageLog
{
    public static void Recover(SqliteConnection connection, string databasePath)
    {
        var path = Path.ChangeExtension(databasePath, ".log.db");
        if (!File.Exists(path))
        {
            return;
        }

        connection.Execute("ATTACH DATABASE $path AS legacy", ("$path", path));
        try
        {
            // A clean stop left it empty (and may have left no table at all if it never held a row).
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT 1 FROM legacy.sqlite_master WHERE type = 'table' AND name = 'message_log'";
            if (exists.ExecuteScalar() is not null)
            {
                using var merge = connection.CreateCommand();
                merge.CommandText =
                    $"""
                    INSERT INTO messages({SqliteMessageRows.Columns})
                    SELECT {SqliteMessageRows.Columns} FROM legacy.message_log WHERE true ORDER BY conversation_id, seq
                    ON CONFLICT(conversation_id, seq) DO NOTHING
                    """;
                merge.ExecuteNonQuery();
            }
        }
        finally
        {
            connection.Execute("DETACH DATABASE legacy");
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
