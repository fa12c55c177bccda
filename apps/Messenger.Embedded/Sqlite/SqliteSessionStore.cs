using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// Sessions in SQLite, read on every authenticated request (a primary-key lookup). A session that is no longer live
/// is deleted by the next sign-in after it (through the index on live_until).
/// </summary>
public sealed class SqliteSessionStore : ISessionStore
{
    private const string Columns = "session_id, user_id, token_id, token_expires_at, expires_at";
    private readonly SqliteDatabase database;
    private readonly TimeProvider time;

    public SqliteSessionStore(SqliteDatabase database, TimeProvider time)
    {
        this.database = database;
        this.time = time;
        using var connection = database.OpenRead();
        connection.Execute(
            "CREATE TABLE IF NOT EXISTS sessions(session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, token_id TEXT NOT NULL, " +
            "token_expires_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, live_until INTEGER NOT NULL) WITHOUT ROWID");
        connection.Execute("CREATE INDEX IF NOT EXISTS sessions_live_until ON sessions(live_until)");

        // Before sessions, logout revoked single tokens; those tokens name no session and are refused anyway.
        connection.Execute("DROP TABLE IF EXISTS revoked_tokens");
    }

    public Task CreateAsync(Session session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToMs();
        return database.Writer.WriteAsync(
            c =>
            {
                c.Execute("DELETE FROM sessions WHERE live_until <= $now", ("$now", now));
                return c.Execute(
                    $"INSERT INTO sessions({Columns}, live_until) VALUES($id, $user, $token, $tokenExpires, $expires, $live)",
                    ("$id", session.SessionId), ("$user", session.UserId), ("$token", session.TokenId),
                    ("$tokenExpires", session.TokenExpiresAt.ToMs()), ("$expires", session.ExpiresAt.ToMs()), ("$live", session.LiveUntil.ToMs()));
            },
            cancellationToken);
    }

    public Task<Session?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        return Task.FromResult(ReadOne(connection, sessionId));
    }

    public Task<IReadOnlyList<Session>> GetManyAsync(IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken)
    {
        var found = new List<Session>(sessionIds.Count);
        using var connection = database.OpenRead();
        foreach (var id in sessionIds.Distinct(StringComparer.Ordinal))
        {
            if (ReadOne(connection, id) is { } session)
            {
                found.Add(session);
            }
        }

        return Task.FromResult<IReadOnlyList<Session>>(found);
    }

    public Task<Session?> RotateAsync(
        string sessionId, string currentTokenId, string nextTokenId, DateTimeOffset nextTokenExpiresAt, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                var command = c.Command(
                    "UPDATE sessions SET token_id = $next, token_expires_at = $tokenExpires, live_until = MIN($tokenExpires, expires_at) " +
                    $"WHERE session_id = $id AND token_id = $current RETURNING {Columns}",
                    ("$next", nextTokenId), ("$tokenExpires", nextTokenExpiresAt.ToMs()), ("$id", sessionId), ("$current", currentTokenId));
                using var reader = command.ExecuteReader();
                return reader.Read() ? Map(reader) : null;
            },
            cancellationToken);

    public Task<Session?> EndAsync(string sessionId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c =>
            {
                using var reader = c.Command($"DELETE FROM sessions WHERE session_id = $id RETURNING {Columns}", ("$id", sessionId)).ExecuteReader();
                return reader.Read() ? Map(reader) : null;
            },
            cancellationToken);

    private static Session? ReadOne(ReadConnection connection, string sessionId)
    {
        using var reader = connection.Command($"SELECT {Columns} FROM sessions WHERE session_id = $id", ("$id", sessionId)).ExecuteReader();
        return reader.Read() ? Map(reader) : null;
    }

    private static Session Map(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3).ToTime(), r.GetInt64(4).ToTime());
}
