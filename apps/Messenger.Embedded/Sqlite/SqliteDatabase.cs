using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: readers open pooled connections of their own; every write goes through the
/// <see cref="SqliteWriter"/>, which commits in groups.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string connectionString;

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

    /// <summary>A connection for reads; dispose it when done (it returns to the pool).</summary>
    public SqliteConnection OpenRead() => Open();

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
