using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: readers open pooled connections of their own; every write goes through the
/// <see cref="SqliteWriter"/>, which commits in groups. Beside it, two plain files (<c>.log.0</c>, <c>.log.1</c>) hold
/// the <see cref="SqliteMessageLog"/>, the front of the messages table, with a writer of its own.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    /// <summary>At most about 500 commits a second of each writer: a busy one gives each fsync more writes; below that pace nothing waits.</summary>
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromMilliseconds(2);

    private const int MaxIdleReaders = 16;
    private readonly string connectionString;
    private readonly ConcurrentBag<SqliteConnection> idle = [];
    private volatile bool disposed;

    /// <param name="path">The database file; the message log's files are beside it, with the extensions <c>.log.0</c> and <c>.log.1</c>.</param>
    /// <param name="logger">Where a failing merge of the message log is logged.</param>
    /// <param name="mergeRows">How many rows the message log holds before it is merged.</param>
    /// <param name="mergeInterval">How often a message log holding any row is merged (<see cref="Timeout.InfiniteTimeSpan"/>: never by time).</param>
    /// <param name="commitInterval">
    /// The pace of the group commits under load, of the database and of the message log alike: one per interval once a
    /// burst is spent (<see cref="GroupCommitQueue{T}"/>); <see cref="DefaultCommitInterval"/> when not given.
    /// </param>
    public SqliteDatabase(
        string path,
        ILogger<SqliteDatabase>? logger = null,
        int mergeRows = SqliteMessageLog.DefaultMergeRows,
        TimeSpan? mergeInterval = null,
        TimeSpan? commitInterval = null)
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
        var logPath = Path.ChangeExtension(path, ".log");
        var writerConnection = Open();
        try
        {
            SqliteSchema.Apply(writerConnection);
            LegacyMessageLog.Recover(writerConnection, path);
            SqliteMessageLog.Recover(writerConnection, logPath);
        }
        catch
        {
            writerConnection.Dispose();
            throw;
        }

        var pace = commitInterval ?? DefaultCommitInterval;
        Writer = new SqliteWriter(writerConnection, pace);
        Log = new SqliteMessageLog(
            logPath, Writer, mergeRows, mergeInterval ?? SqliteMessageLog.DefaultMergeInterval, pace, (ILogger?)logger ?? NullLogger.Instance);
        ClientIds = new ClientIdFilters(this);
    }

    public SqliteWriter Writer { get; }

    /// <summary>Where messages are appended; what reads the messages table takes the log's rows of the conversation first.</summary>
    public SqliteMessageLog Log { get; }

    /// <summary>Which clientMessageIds each conversation certainly does not have, so that a new send needs no read to be told apart from a retry.</summary>
    public ClientIdFilters ClientIds { get; }

    /// <summary>A connection for reads, kept open between loans so that its prepared statements are reused.</summary>
    public ReadConnection OpenRead() =>
        new(idle.TryTake(out var connection) ? connection : Open(), GiveBack);

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
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
