using System.Diagnostics;
using System.Threading.Channels;
using Messenger.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The single writer of the database. Writes queue up while a commit is in flight and then commit together in one
/// transaction (group commit), each inside a savepoint of its own so that one failing write fails alone. A write's
/// task completes only after its transaction is durably committed.
/// </summary>
public sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly SqliteConnection connection;
    private readonly Channel<IWrite> queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    internal SqliteWriter(SqliteConnection connection)
    {
        this.connection = connection;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Runs <paramref name="write"/> inside the next group commit and returns its result once committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Write<T>(write);
        ObjectDisposedException.ThrowIf(!queue.Writer.TryWrite(item), this);

        // A write once queued is not taken back: the caller may stop waiting, the commit goes on.
        return item.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
        await connection.DisposeAsync();
    }

    private async Task RunAsync()
    {
        var batch = new List<IWrite>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<IWrite> batch)
    {
        try
        {
            connection.Execute("BEGIN IMMEDIATE");

            foreach (var write in batch)
            {
                Savepoint("SAVEPOINT w");
                try
                {
                    write.Run(connection);
                    Savepoint("RELEASE w");
                }
                catch (Exception e)
                {
                    Savepoint("ROLLBACK TO w");
                    Savepoint("RELEASE w");
                    write.Fail(e);
                }
            }

            var committing = Stopwatch.GetTimestamp();
            connection.Execute("COMMIT");
            MessengerTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(committing).TotalSeconds);
            MessengerTelemetry.CommitSize.Record(batch.Count);

            foreach (var write in batch)
            {
                write.Complete();
            }
        }
        catch (Exception e)
        {
            TryRollback();
            foreach (var write in batch)
            {
                write.Fail(e);
            }
        }
    }

    private void Savepoint(string sql) => connection.Execute(sql);

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
            // No transaction was open.
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
        private bool failed;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteConnection connection) => result = write(connection);

        public void Complete()
        {
            if (!failed)
            {
                Completion.TrySetResult(result!);
            }
        }

        public void Fail(Exception error)
        {
            failed = true;
            Completion.TrySetException(error);
        }
    }
}
