using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: readers open pooled connections of their own; every write goes through the
/// <see cref="SqliteWriter"/>, which commits in groups.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private const int MaxIdleReaders = 16;
    private readonly string connectionString;
    private readonly ConcurrentBag<SqliteConnection> idle = [];
    private volatile bool disposed;

    public SqliteDatabase(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using (var connection = Open())
        {
            SqliteSchema.Apply(connection);
        }

        Writer = new SqliteWriter(Open());
    }

    public SqliteWriter Writer { get; }

    /// <summary>A connection for reads, kept open between loans so that its prepared statements are reused.</summary>
    public ReadConnection OpenRead() =>
        new(idle.TryTake(out var connection) ? connection : Open(), GiveBack);

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        disposed = true;
        while (idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
    }

    private void GiveBack(SqliteConnection connection)
    {
        if (disposed || idle.Count >= MaxIdleReaders)
        {
            connection.Dispose();
            return;
        }

        idle.Add(connection);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
