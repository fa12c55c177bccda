using System.Diagnostics;
using Messenger.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The single writer of the database, on a thread of its own: writes queue up while a commit is in flight and then
/// commit together in one transaction (group commit). A write's task completes only after its transaction is durably
/// committed. A batch in which a write fails is rolled back and its writes are committed one by one, so that one
/// failing write fails alone.
/// </summary>
/// <remarks>
/// The thread is its own because a commit blocks on the disk (synchronous=FULL): on a thread-pool worker every commit
/// would take a worker away for the time of an fsync, and the pool would add threads to make up for it, threads that
/// then spin and switch on a small machine.
/// </remarks>
public sealed class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly GroupCommitQueue<IWrite> queue;

    /// <param name="connection">The connection every write goes through.</param>
    /// <param name="commitInterval">The pace of its commits under load (<see cref="GroupCommitQueue{T}"/>).</param>
    internal SqliteWriter(SqliteConnection connection, TimeSpan commitInterval)
    {
        this.connection = connection;
        queue = new GroupCommitQueue<IWrite>("SQLite writer", Commit, commitInterval);
    }

    /// <summary>Runs <paramref name="write"/> inside the next group commit and returns its result once committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Write<T>(write);
        queue.Enqueue(item, this);

        // A write once queued is not taken back: the caller may stop waiting, the commit goes on.
        return cancellationToken.CanBeCanceled ? item.Completion.Task.WaitAsync(cancellationToken) : item.Completion.Task;
    }

    /// <summary>Takes no more writes, commits those queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await queue.CompleteAsync();
        await connection.DisposeAsync();
    }

    private void Commit(List<IWrite> batch)
    {
        try
        {
            connection.Execute("BEGIN IMMEDIATE");
            foreach (var write in batch)
            {
                write.Run(connection);
            }
        }
        catch (Exception e)
        {
            TryRollback();
            if (batch.Count == 1)
            {
                batch[0].Fail(e);
                return;
            }

            // Nothing of the batch stays; each write is tried again alone, and only the failing one fails.
            foreach (var write in batch)
            {
                Commit([write]);
            }

            return;
        }

        try
        {
            var committing = Stopwatch.GetTimestamp();
            connection.Execute("COMMIT");
            MessengerTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(committing).TotalSeconds, MessengerTelemetry.DatabaseFile);
            MessengerTelemetry.CommitSize.Record(batch.Count, MessengerTelemetry.DatabaseFile);
        }
        catch (Exception e)
        {
            TryRollback();
            foreach (var write in batch)
            {
                write.Fail(e);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private void TryRollback()
    {
        try
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                connection.Execute("ROLLBACK");
            }
        }
        catch (SqliteException)
        {
            // No transaction was open (SQLite rolls back by itself after some errors).
        }
    }

    private interface IWrite
    {
        void Run(SqliteConnection connection);

        void Complete();

        void Fail(Exception error);
    }

    private sealed class Write<T>(Func<SqliteConnection, T> write) : IWrite
    {
        private T? result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteConnection connection) => result = write(connection);

        public void Complete() => Completion.TrySetResult(result!);

        public void Fail(Exception error) => Completion.TrySetException(error);
    }
}
