using Messenger.Core.Domain;
using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class MessageLogFileTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory directory = new();
    private readonly List<(long FirstId, int Count)> writes = [];
    private TaskCompletionSource? hold;

    private string BasePath => Path.Combine(directory.Path, "messenger.log");

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Appends_queued_while_a_write_is_in_flight_are_written_together_and_read_back_in_order()
    {
        await using var log = Open();
        var (release, first) = await BlockWriterAsync(log);
        var rest = Enumerable.Range(2, 3).Select(seq => log.AppendAsync(MessageAt(seq), CancellationToken.None)).ToList();

        release.SetResult();
        await first;
        await Task.WhenAll(rest);

        Assert.Equal([(1L, 1), (2L, 3)], Writes());
        Assert.Equal([1L, 2, 3, 4], MessageLogFile.ReadAll(BasePath).Select(r => r.Message.Seq));
    }

    [Fact]
    public async Task An_append_whose_caller_cancels_once_queued_is_still_written_and_ends_with_its_write()
    {
        await using var log = Open();
        var (release, blocker) = await BlockWriterAsync(log);
        using var cancel = new CancellationTokenSource();
        var append = log.AppendAsync(MessageAt(2), cancel.Token);

        await cancel.CancelAsync();
        await Task.Delay(50);
        Assert.False(append.IsCompleted);
        release.SetResult();
        await blocker;
        await append;

        Assert.Equal([1L, 2], MessageLogFile.ReadAll(BasePath).Select(r => r.Message.Seq));
    }

    [Fact]
    public async Task After_a_seal_appends_go_to_the_other_file_and_emptying_the_sealed_one_keeps_them()
    {
        await using var log = Open();
        await log.AppendAsync(MessageAt(1), CancellationToken.None);
        await log.AppendAsync(MessageAt(2), CancellationToken.None);

        var (through, sealedFile) = await log.SealAsync();
        await log.AppendAsync(MessageAt(3), CancellationToken.None);
        await log.EmptyAsync(sealedFile);

        Assert.Equal(2, through);
        Assert.Equal(0, new FileInfo(MessageLogFile.PathOf(BasePath, sealedFile)).Length);
        Assert.Equal([(3L, 3L)], MessageLogFile.ReadAll(BasePath).Select(r => (r.Id, r.Message.Seq)));
    }

    [Fact]
    public async Task Opening_the_log_empties_what_it_held()
    {
        await using (var log = Open())
        {
            await log.AppendAsync(MessageAt(1), CancellationToken.None);
        }

        Assert.Single(MessageLogFile.ReadAll(BasePath));

        await using var reopened = Open();

        Assert.Empty(MessageLogFile.ReadAll(BasePath));
    }

    private static Message MessageAt(long seq) => new($"m_{seq}", "c_d", seq, "u_a", $"k{seq}", $"text {seq}", null, Start.AddSeconds(seq));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The log's writer did not get there within 10 s.");
            await Task.Delay(10);
        }
    }

    private MessageLogFile Open() => new(BasePath, SqliteDatabase.DefaultCommitInterval, Committed);

    /// <summary>
    /// Appends seq 1 and holds the writer's thread in that write's hand-over until the returned source is set, so that
    /// appends queued meanwhile wait for the next write.
    /// </summary>
    private async Task<(TaskCompletionSource Release, Task Blocker)> BlockWriterAsync(MessageLogFile log)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hold = release;
        var blocker = log.AppendAsync(MessageAt(1), CancellationToken.None);
        await WaitUntilAsync(() => hold is null);
        return (release, blocker);
    }

    private List<(long FirstId, int Count)> Writes()
    {
        lock (writes)
        {
            return [.. writes];
        }
    }

    private void Committed(long firstId, IReadOnlyList<Message> messages)
    {
        lock (writes)
        {
            writes.Add((firstId, messages.Count));
        }

        if (Interlocked.Exchange(ref hold, null) is { } release)
        {
            release.Task.Wait(TimeSpan.FromSeconds(10));
        }
    }
}
