using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class SqliteWriterTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase temp = new();

    public async Task InitializeAsync()
    {
        await temp.InitializeAsync();
        await temp.Database.Writer.WriteAsync(c => Execute(c, "CREATE TABLE items(k INTEGER PRIMARY KEY, v TEXT NOT NULL)"), None);
    }

    public Task DisposeAsync() => temp.DisposeAsync();

    [Fact]
    public async Task Many_concurrent_writes_all_commit()
    {
        var writes = Enumerable.Range(1, 1000)
            .Select(i => Task.Run(() => temp.Database.Writer.WriteAsync(c => Insert(c, i, $"v{i}"), None)));

        var results = await Task.WhenAll(writes);

        Assert.All(results, rows => Assert.Equal(1, rows));
        Assert.Equal(1000, Count());
        Assert.Equal(Enumerable.Range(1, 1000).Sum(), Scalar("SELECT SUM(k) FROM items"));
    }

    [Fact]
    public async Task A_write_is_visible_to_a_new_reader_once_it_completes()
    {
        await temp.Database.Writer.WriteAsync(c => Insert(c, 7, "seven"), None);

        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM items WHERE k = 7 AND v = 'seven'"));
    }

    [Fact]
    public async Task A_write_returns_its_result()
    {
        var value = await temp.Database.Writer.WriteAsync(c =>
        {
            Insert(c, 1, "one");
            using var command = c.CreateCommand();
            command.CommandText = "SELECT v FROM items WHERE k = 1";
            return (string)command.ExecuteScalar()!;
        }, None);

        Assert.Equal("one", value);
    }

    [Fact]
    public async Task A_failing_write_fails_alone_while_the_rest_of_its_batch_commits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = await WriterBlock.HoldAsync(temp.Database, release.Task);

        // Queued while the writer is busy: these five commit as one batch.
        var first = temp.Database.Writer.WriteAsync(c => Insert(c, 1, "first"), None);
        var clash = temp.Database.Writer.WriteAsync(c =>
        {
            Insert(c, 2, "half of a failed write"); // rolled back with the failing statement below
            return Insert(c, 1, "duplicate key");
        }, None);
        var second = temp.Database.Writer.WriteAsync(c => Insert(c, 3, "second"), None);
        var invalid = temp.Database.Writer.WriteAsync(c => Execute(c, "INSERT INTO nowhere VALUES(1)"), None);
        var third = temp.Database.Writer.WriteAsync(c => Insert(c, 4, "third"), None);
        release.SetResult();
        await blocked;

        Assert.Equal(1, await first);
        Assert.Equal(1, await second);
        Assert.Equal(1, await third);
        var unique = await Assert.ThrowsAsync<SqliteException>(() => clash);
        Assert.Equal(19, unique.SqliteErrorCode); // SQLITE_CONSTRAINT
        await Assert.ThrowsAsync<SqliteException>(() => invalid);
        Assert.Equal([1L, 3L, 4L], Keys());
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM items WHERE k = 1 AND v = 'first'"));
    }

    [Fact]
    public async Task A_write_throwing_any_exception_fails_alone()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = await WriterBlock.HoldAsync(temp.Database, release.Task);

        var before = temp.Database.Writer.WriteAsync(c => Insert(c, 1, "before"), None);
        var throwing = temp.Database.Writer.WriteAsync<int>(c =>
        {
            Insert(c, 2, "half of a failed write");
            throw new InvalidCastException("a bug in one caller");
        }, None);
        var after = temp.Database.Writer.WriteAsync(c => Insert(c, 3, "after"), None);
        release.SetResult();
        await blocked;

        await Assert.ThrowsAsync<InvalidCastException>(() => throwing);
        Assert.Equal(1, await before);
        Assert.Equal(1, await after);
        Assert.Equal([1L, 3L], Keys());
    }

    [Fact]
    public async Task Writes_run_on_the_writers_own_thread_so_a_commit_never_holds_a_pool_worker()
    {
        var onPool = await temp.Database.Writer.WriteAsync(_ => Thread.CurrentThread.IsThreadPoolThread, None);

        Assert.False(onPool);
    }

    [Fact]
    public async Task Writes_queued_before_dispose_commit_and_later_ones_are_refused()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = await WriterBlock.HoldAsync(temp.Database, release.Task);
        var queued = temp.Database.Writer.WriteAsync(c => Insert(c, 5, "queued"), None);

        var disposing = temp.Database.Writer.DisposeAsync();
        release.SetResult();
        await disposing;

        await blocked;
        Assert.Equal(1, await queued);
        Assert.Throws<ObjectDisposedException>(() => { _ = temp.Database.Writer.WriteAsync(c => Insert(c, 6, "late"), None); });
    }

    [Fact]
    public async Task A_write_asked_with_a_cancelled_token_is_not_run()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ran = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => temp.Database.Writer.WriteAsync(c =>
        {
            ran = true;
            return Insert(c, 1, "never");
        }, cts.Token));

        await temp.Database.Writer.WriteAsync(_ => 0, None);
        Assert.False(ran);
        Assert.Equal(0, Count());
    }

    [Fact]
    public async Task Writes_commit_in_the_order_they_were_queued()
    {
        var writes = new List<Task<int>>();
        for (var i = 1; i <= 200; i++)
        {
            var n = i;
            writes.Add(temp.Database.Writer.WriteAsync(c => Execute(c, $"INSERT INTO items(k, v) VALUES((SELECT COALESCE(MAX(k), 0) + 1 FROM items), '{n}')"), None));
        }

        await Task.WhenAll(writes);

        using var connection = temp.Database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT v FROM items ORDER BY k";
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), values);
    }

    private static int Insert(SqliteConnection connection, int key, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO items(k, v) VALUES($k, $v)";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        return command.ExecuteNonQuery();
    }

    private static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private long Count() => Scalar("SELECT COUNT(*) FROM items");

    private long Scalar(string sql)
    {
        using var connection = temp.Database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private List<long> Keys()
    {
        using var connection = temp.Database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT k FROM items ORDER BY k";
        using var reader = command.ExecuteReader();
        var keys = new List<long>();
        while (reader.Read())
        {
            keys.Add(reader.GetInt64(0));
        }

        return keys;
    }
}
