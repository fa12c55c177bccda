using System.Collections.Concurrent;
using Messenger.Core.Ports;

namespace Messenger.Embedded.Sqlite;

/// <summary>Revoked token ids in SQLite, all of them also in memory (a check runs on every request).</summary>
public sealed class SqliteTokenRevocationStore : ITokenRevocationStore
{
    private readonly SqliteDatabase database;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> revoked = new(StringComparer.Ordinal);

    public SqliteTokenRevocationStore(SqliteDatabase database, TimeProvider time)
    {
        this.database = database;
        this.time = time;
        using var connection = database.OpenRead();
        connection.Execute("CREATE TABLE IF NOT EXISTS revoked_tokens(token_id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID");
        var command = connection.Command("SELECT token_id, expires_at FROM revoked_tokens WHERE expires_at > $now", ("$now", time.GetUtcNow().ToMs()));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            revoked[reader.GetString(0)] = reader.GetInt64(1).ToTime();
        }
    }

    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToMs();
        await database.Writer.WriteAsync(
            c =>
            {
                c.Execute("DELETE FROM revoked_tokens WHERE expires_at <= $now", ("$now", now));
                return c.Execute(
                    "INSERT INTO revoked_tokens(token_id, expires_at) VALUES($id, $at) ON CONFLICT DO NOTHING", ("$id", tokenId), ("$at", expiresAt.ToMs()));
            },
            cancellationToken);
        revoked[tokenId] = expiresAt;
    }

    public Task<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken) =>
        Task.FromResult(revoked.TryGetValue(tokenId, out var until) && until > time.GetUtcNow());
}
