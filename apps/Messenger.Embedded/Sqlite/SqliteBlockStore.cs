using System.Text.Json;
using Messenger.Core.Ports;

namespace Messenger.Embedded.Sqlite;

/// <summary>Who blocks whom, one row per pair in the table <c>blocks</c>.</summary>
public sealed class SqliteBlockStore : IBlockStore
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS blocks(
            blocker_id TEXT NOT NULL,
            blocked_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY(blocker_id, blocked_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS blocks_by_blocked ON blocks(blocked_id, blocker_id);
        """;

    private readonly SqliteDatabase database;
    private readonly TimeProvider time;

    public SqliteBlockStore(SqliteDatabase database, TimeProvider time)
    {
        this.database = database;
        this.time = time;
        using var connection = database.OpenRead();
        connection.Execute(Ddl);
    }

    public Task<bool> AddAsync(string blockerId, string blockedId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                "INSERT INTO blocks(blocker_id, blocked_id, created_at) VALUES($blocker, $blocked, $at) ON CONFLICT DO NOTHING",
                ("$blocker", blockerId), ("$blocked", blockedId), ("$at", time.GetUtcNow().ToMs())) == 1,
            cancellationToken);

    public Task<bool> RemoveAsync(string blockerId, string blockedId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute("DELETE FROM blocks WHERE blocker_id = $blocker AND blocked_id = $blocked", ("$blocker", blockerId), ("$blocked", blockedId)) == 1,
            cancellationToken);

    public Task<IReadOnlyList<string>> FindBlockersAsync(IReadOnlyCollection<string> candidateIds, string blockedId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(candidateIds.Count == 0
            ? []
            : Strings(
                "SELECT blocker_id FROM blocks WHERE blocked_id = $blocked AND blocker_id IN (SELECT value FROM json_each($ids))",
                ("$blocked", blockedId), ("$ids", JsonSerializer.Serialize(candidateIds))));

    public Task<IReadOnlyList<string>> ListAsync(string blockerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Strings("SELECT blocked_id FROM blocks WHERE blocker_id = $blocker ORDER BY created_at, blocked_id", ("$blocker", blockerId)));

    private List<string> Strings(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = database.OpenRead();
        using var reader = connection.Command(sql, parameters).ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
