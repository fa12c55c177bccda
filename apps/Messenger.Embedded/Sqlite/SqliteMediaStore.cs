using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>Media metadata in the embedded database; its tables are created here, on construction.</summary>
public sealed class SqliteMediaStore : IMediaStore
{
    private const string Columns =
        "media_id, owner_id, status, content_type, size, sha256, width, height, thumbnail, thumbnail_content_type, created_at, pending_until, thumbnail_attempts";

    private const string AttemptsColumn = "thumbnail_attempts";

    private static readonly string Ddl = $"""
        CREATE TABLE IF NOT EXISTS media(
            media_id TEXT PRIMARY KEY,
            owner_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT,
            width INTEGER,
            height INTEGER,
            thumbnail INTEGER NOT NULL,
            thumbnail_content_type TEXT,
            created_at INTEGER NOT NULL,
            pending_until INTEGER,
            thumbnail_attempts INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS media_by_pending_until ON media(pending_until) WHERE pending_until IS NOT NULL;
        CREATE INDEX IF NOT EXISTS media_awaiting_thumbnail ON media(created_at)
            WHERE status = {(int)MediaStatus.Ready} AND thumbnail = {(int)ThumbnailState.Pending};
        CREATE TABLE IF NOT EXISTS media_conversations(
            media_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            PRIMARY KEY(media_id, conversation_id)) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase database;

    public SqliteMediaStore(SqliteDatabase database)
    {
        this.database = database;
        using var connection = database.OpenRead();
        connection.Execute(Ddl);
        AddAttemptsColumn(connection);
    }

    /// <summary>A database made before attempts were counted gets the column (every record at 0 attempts).</summary>
    private static void AddAttemptsColumn(ReadConnection connection)
    {
        using (var columns = connection.Command("SELECT 1 FROM pragma_table_info('media') WHERE name = $name", ("$name", AttemptsColumn)))
        {
            if (columns.ExecuteScalar() is not null)
            {
                return;
            }
        }

        connection.Execute($"ALTER TABLE media ADD COLUMN {AttemptsColumn} INTEGER NOT NULL DEFAULT 0");
    }

    public Task AddAsync(MediaRecord record, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                $"INSERT INTO media({Columns}) VALUES($id, $owner, $status, $type, $size, $sha, $w, $h, $thumb, $thumbType, $created, $pending, $attempts)",
                ("$id", record.MediaId), ("$owner", record.OwnerId), ("$status", (int)record.Status), ("$type", record.ContentType),
                ("$size", record.Size), ("$sha", record.Sha256), ("$w", record.Width), ("$h", record.Height),
                ("$thumb", (int)record.Thumbnail), ("$thumbType", record.ThumbnailContentType), ("$created", record.CreatedAt.ToMs()),
                ("$pending", record.PendingUntil?.ToMs()), ("$attempts", record.ThumbnailAttempts)),
            cancellationToken);

    public Task<MediaRecord?> GetAsync(string mediaId, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        using var command = connection.Command($"SELECT {Columns} FROM media WHERE media_id = $id", ("$id", mediaId));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return Task.FromResult<MediaRecord?>(null);
        }

        var record = Read(reader);
        using var conversations = connection.Command(
            "SELECT conversation_id FROM media_conversations WHERE media_id = $id ORDER BY conversation_id", ("$id", mediaId));
        using var rows = conversations.ExecuteReader();
        var ids = ImmutableArray.CreateBuilder<string>();
        while (rows.Read())
        {
            ids.Add(rows.GetString(0));
        }

        return Task.FromResult<MediaRecord?>(record with { ConversationIds = ids.ToImmutable() });
    }

    public Task<bool> MarkReadyAsync(string mediaId, MediaStatus expected, MediaContent content, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                """
                UPDATE media SET status = $ready, content_type = $type, size = $size, sha256 = $sha, width = $w, height = $h, thumbnail = $thumb,
                    pending_until = CASE WHEN status = $awaiting THEN pending_until ELSE NULL END
                WHERE media_id = $id AND status = $expected
                """,
                ("$ready", (int)MediaStatus.Ready), ("$type", content.ContentType), ("$size", content.Size), ("$sha", content.Sha256),
                ("$w", content.Width), ("$h", content.Height), ("$thumb", (int)content.Thumbnail),
                ("$awaiting", (int)MediaStatus.AwaitingUpload), ("$id", mediaId), ("$expected", (int)expected)) == 1,
            cancellationToken);

    public Task RecordThumbnailAsync(string mediaId, MediaThumbnail thumbnail, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                """
                UPDATE media SET thumbnail = $thumb, thumbnail_content_type = $type, width = coalesce($w, width), height = coalesce($h, height)
                WHERE media_id = $id
                """,
                ("$thumb", (int)thumbnail.State), ("$type", thumbnail.ContentType), ("$w", thumbnail.Width), ("$h", thumbnail.Height), ("$id", mediaId)),
            cancellationToken);

    public Task<int> CountThumbnailAttemptAsync(string mediaId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                using var command = c.Command(
                    $"UPDATE media SET {AttemptsColumn} = {AttemptsColumn} + 1 WHERE media_id = $id RETURNING {AttemptsColumn}", ("$id", mediaId));
                return command.ExecuteScalar() is long attempts ? (int)attempts : 0;
            },
            cancellationToken);

    public Task ClearPendingAsync(string mediaId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute("UPDATE media SET pending_until = NULL WHERE media_id = $id", ("$id", mediaId)),
            cancellationToken);

    public Task AddConversationAsync(string mediaId, string conversationId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                "INSERT INTO media_conversations(media_id, conversation_id) VALUES($id, $conv) ON CONFLICT DO NOTHING",
                ("$id", mediaId), ("$conv", conversationId)),
            cancellationToken);

    public Task DeleteAsync(string mediaId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute("DELETE FROM media WHERE media_id = $id", ("$id", mediaId))
                + c.Execute("DELETE FROM media_conversations WHERE media_id = $id", ("$id", mediaId)),
            cancellationToken);

    public Task<IReadOnlyList<MediaRecord>> ListPendingExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        using var command = connection.Command(
            $"SELECT {Columns} FROM media WHERE pending_until IS NOT NULL AND pending_until < $now ORDER BY pending_until LIMIT $limit",
            ("$now", now.ToMs()), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var records = new List<MediaRecord>();
        while (reader.Read())
        {
            records.Add(Read(reader));
        }

        return Task.FromResult<IReadOnlyList<MediaRecord>>(records);
    }

    public Task<IReadOnlyList<string>> ListAwaitingThumbnailAsync(int limit, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        using var command = connection.Command(
            "SELECT media_id FROM media WHERE status = $ready AND thumbnail = $pending ORDER BY created_at LIMIT $limit",
            ("$ready", (int)MediaStatus.Ready), ("$pending", (int)ThumbnailState.Pending), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    private static MediaRecord Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        (MediaStatus)r.GetInt32(2),
        r.GetString(3),
        r.GetInt64(4),
        r.StringOrNull(5),
        r.IsDBNull(6) ? null : r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetInt32(7),
        (ThumbnailState)r.GetInt32(8),
        r.StringOrNull(9),
        r.GetInt64(10).ToTime(),
        r.IsDBNull(11) ? null : r.GetInt64(11).ToTime(),
        [],
        r.GetInt32(12));
}
