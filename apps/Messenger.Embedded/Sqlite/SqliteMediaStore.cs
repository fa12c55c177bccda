using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// Media metadata and each owner's storage usage (<c>media_usage</c>) in the embedded database; its tables are created
/// here, on construction. A record and its owner's usage change in one write (one transaction on the one writer),
/// so the usage is always the sum of its owner's records' charges and a quota check cannot race another.
/// </summary>
public sealed class SqliteMediaStore : IMediaStore
{
    private const string Columns =
        "media_id, owner_id, status, content_type, size, sha256, width, height, thumbnail, thumbnail_content_type, created_at, pending_until, thumbnail_attempts, charged_bytes, thumbnail_bytes";

    private const string AttemptsColumn = "thumbnail_attempts";
    private const string ChargedColumn = "charged_bytes";

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
            thumbnail_attempts INTEGER NOT NULL DEFAULT 0,
            charged_bytes INTEGER NOT NULL DEFAULT 0,
            thumbnail_bytes INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS media_usage(
            owner_id TEXT PRIMARY KEY,
            bytes INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS media_by_pending_until ON media(pending_until) WHERE pending_until IS NOT NULL;
        CREATE INDEX IF NOT EXISTS media_awaiting_thumbnail ON media(created_at)
            WHERE status = {(int)MediaStatus.Ready} AND thumbnail = {(int)ThumbnailState.Pending};
        CREATE TABLE IF NOT EXISTS media_carriers(
            media_id TEXT PRIMARY KEY,
            messages INTEGER NOT NULL) WITHOUT ROWID;
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
        AddChargeColumns(connection);
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

    /// <summary>
    /// A database made before quotas gets the charge columns, its ready media charged their size (their thumbnails,
    /// whose sizes were not kept, count nothing) and each owner's usage summed from them, in one transaction.
    /// </summary>
    private static void AddChargeColumns(ReadConnection connection)
    {
        using (var columns = connection.Command("SELECT 1 FROM pragma_table_info('media') WHERE name = $name", ("$name", ChargedColumn)))
        {
            if (columns.ExecuteScalar() is not null)
            {
                return;
            }
        }

        connection.Execute($"""
            BEGIN IMMEDIATE;
            ALTER TABLE media ADD COLUMN {ChargedColumn} INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE media ADD COLUMN thumbnail_bytes INTEGER NOT NULL DEFAULT 0;
            UPDATE media SET {ChargedColumn} = size WHERE status = {(int)MediaStatus.Ready};
            DELETE FROM media_usage;
            INSERT INTO media_usage(owner_id, bytes) SELECT owner_id, sum({ChargedColumn}) FROM media GROUP BY owner_id;
            COMMIT;
            """);
    }

    public Task AddAsync(MediaRecord record, CancellationToken cancellationToken) =>
        TryAddAsync(record, long.MaxValue, cancellationToken);

    public Task<bool> TryAddAsync(MediaRecord record, long quota, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                if (!Charge(c, record.OwnerId, record.ChargedBytes + record.ThumbnailBytes, quota))
                {
                    return false;
                }

                c.Execute(
                    $"INSERT INTO media({Columns}) VALUES($id, $owner, $status, $type, $size, $sha, $w, $h, $thumb, $thumbType, $created, $pending, $attempts, $charged, $thumbBytes)",
                    ("$id", record.MediaId), ("$owner", record.OwnerId), ("$status", (int)record.Status), ("$type", record.ContentType),
                    ("$size", record.Size), ("$sha", record.Sha256), ("$w", record.Width), ("$h", record.Height),
                    ("$thumb", (int)record.Thumbnail), ("$thumbType", record.ThumbnailContentType), ("$created", record.CreatedAt.ToMs()),
                    ("$pending", record.PendingUntil?.ToMs()), ("$attempts", record.ThumbnailAttempts),
                    ("$charged", record.ChargedBytes), ("$thumbBytes", record.ThumbnailBytes));
                return true;
            },
            cancellationToken);

    public Task<bool> TryChargeAsync(string mediaId, long bytes, long quota, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                if (OwnerOf(c, mediaId) is not { } owner || !Charge(c, owner, bytes, quota))
                {
                    return false;
                }

                c.Execute($"UPDATE media SET {ChargedColumn} = {ChargedColumn} + $bytes WHERE media_id = $id", ("$bytes", bytes), ("$id", mediaId));
                return true;
            },
            cancellationToken);

    public Task<long> GetUsageAsync(string ownerId, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        using var command = connection.Command("SELECT bytes FROM media_usage WHERE owner_id = $owner", ("$owner", ownerId));
        return Task.FromResult(command.ExecuteScalar() is long bytes ? bytes : 0);
    }

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

    public Task<bool> MarkReadyAsync(string mediaId, MediaStatus expected, MediaContent content, DateTimeOffset? sweepAt, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                """
                UPDATE media SET status = $ready, content_type = $type, size = $size, sha256 = $sha, width = $w, height = $h, thumbnail = $thumb,
                    pending_until = CASE WHEN status = $awaiting THEN pending_until ELSE $sweepAt END
                WHERE media_id = $id AND status = $expected
                """,
                ("$ready", (int)MediaStatus.Ready), ("$type", content.ContentType), ("$size", content.Size), ("$sha", content.Sha256),
                ("$w", content.Width), ("$h", content.Height), ("$thumb", (int)content.Thumbnail),
                ("$awaiting", (int)MediaStatus.AwaitingUpload), ("$sweepAt", sweepAt?.ToMs()), ("$id", mediaId), ("$expected", (int)expected)) == 1,
            cancellationToken);

    public Task RecordThumbnailAsync(string mediaId, MediaThumbnail thumbnail, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                using (var before = c.Command("SELECT owner_id, thumbnail_bytes FROM media WHERE media_id = $id", ("$id", mediaId)))
                using (var reader = before.ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return 0;
                    }

                    Charge(c, reader.GetString(0), thumbnail.Size - reader.GetInt64(1), long.MaxValue);
                }

                return c.Execute(
                    """
                    UPDATE media SET thumbnail = $thumb, thumbnail_content_type = $type, width = coalesce($w, width), height = coalesce($h, height),
                        thumbnail_bytes = $size
                    WHERE media_id = $id
                    """,
                    ("$thumb", (int)thumbnail.State), ("$type", thumbnail.ContentType), ("$w", thumbnail.Width), ("$h", thumbnail.Height),
                    ("$size", thumbnail.Size), ("$id", mediaId));
            },
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

    public Task SetPendingAsync(string mediaId, DateTimeOffset pendingUntil, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute("UPDATE media SET pending_until = $pending WHERE media_id = $id", ("$pending", pendingUntil.ToMs()), ("$id", mediaId)),
            cancellationToken);

    public Task<bool> AddConversationAsync(string mediaId, string conversationId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => OwnerOf(c, mediaId) is not null
                && c.Execute(
                    "INSERT INTO media_conversations(media_id, conversation_id) VALUES($id, $conv) ON CONFLICT DO NOTHING",
                    ("$id", mediaId), ("$conv", conversationId)) >= 0
                && c.Execute(
                    "INSERT INTO media_carriers(media_id, messages) VALUES($id, 1) ON CONFLICT(media_id) DO UPDATE SET messages = messages + 1",
                    ("$id", mediaId)) >= 0,
            cancellationToken);

    public Task<bool> ReleaseAsync(string mediaId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                using (var left = c.Command(
                    "UPDATE media_carriers SET messages = messages - 1 WHERE media_id = $id AND messages > 0 RETURNING messages", ("$id", mediaId)))
                {
                    if (left.ExecuteScalar() is not long count || count > 0)
                    {
                        return false;
                    }
                }

                c.Execute("DELETE FROM media_conversations WHERE media_id = $id", ("$id", mediaId));
                c.Execute(
                    "UPDATE media SET pending_until = $at, status = $released WHERE media_id = $id",
                    ("$at", at.ToMs()), ("$released", (int)MediaStatus.Released), ("$id", mediaId));
                return true;
            },
            cancellationToken);

    public Task DeleteAsync(string mediaId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(c => Delete(c, mediaId), cancellationToken);

    public Task<bool> DeleteUnsentAsync(string mediaId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                using (var sent = c.Command("SELECT 1 FROM media_conversations WHERE media_id = $id LIMIT 1", ("$id", mediaId)))
                {
                    if (sent.ExecuteScalar() is not null)
                    {
                        return false;
                    }
                }

                return Delete(c, mediaId);
            },
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

    /// <summary>Deletes the record and gives its charge back to its owner; false when it was gone.</summary>
    private static bool Delete(SqliteConnection c, string mediaId)
    {
        long charge;
        string owner;
        using (var before = c.Command($"SELECT owner_id, {ChargedColumn} + thumbnail_bytes FROM media WHERE media_id = $id", ("$id", mediaId)))
        using (var reader = before.ExecuteReader())
        {
            if (!reader.Read())
            {
                c.Execute("DELETE FROM media_conversations WHERE media_id = $id", ("$id", mediaId));
                return false;
            }

            (owner, charge) = (reader.GetString(0), reader.GetInt64(1));
        }

        c.Execute("DELETE FROM media WHERE media_id = $id", ("$id", mediaId));
        c.Execute("DELETE FROM media_conversations WHERE media_id = $id", ("$id", mediaId));
        c.Execute("DELETE FROM media_carriers WHERE media_id = $id", ("$id", mediaId));
        Charge(c, owner, -charge, long.MaxValue);
        return true;
    }

    private static string? OwnerOf(SqliteConnection c, string mediaId)
    {
        using var command = c.Command("SELECT owner_id FROM media WHERE media_id = $id", ("$id", mediaId));
        return command.ExecuteScalar() as string;
    }

    /// <summary>
    /// Adds <paramref name="bytes"/> to the owner's usage (inside the caller's write: the one writer makes the check and
    /// the change one step); an increase only while the usage stays within <paramref name="quota"/>.
    /// </summary>
    private static bool Charge(SqliteConnection c, string ownerId, long bytes, long quota)
    {
        if (bytes == 0)
        {
            return true;
        }

        long used;
        using (var current = c.Command("SELECT bytes FROM media_usage WHERE owner_id = $owner", ("$owner", ownerId)))
        {
            used = current.ExecuteScalar() is long stored ? stored : 0;
        }

        if (bytes > 0 && used + bytes > quota)
        {
            return false;
        }

        var next = Math.Max(0, used + bytes);
        if (next == 0)
        {
            c.Execute("DELETE FROM media_usage WHERE owner_id = $owner", ("$owner", ownerId));
        }
        else
        {
            c.Execute(
                "INSERT INTO media_usage(owner_id, bytes) VALUES($owner, $bytes) ON CONFLICT(owner_id) DO UPDATE SET bytes = excluded.bytes",
                ("$owner", ownerId), ("$bytes", next));
        }

        return true;
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
        r.GetInt32(12),
        r.GetInt64(13),
        r.GetInt64(14));
}
