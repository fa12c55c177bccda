using System.Collections.Concurrent;
using System.Diagnostics;
using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class GroupCommitQueueTests
{
    [Fact]
    public async Task Items_queued_within_the_interval_after_a_batch_go_together_in_the_next_one_no_sooner_than_the_interval()
    {
        var interval = TimeSpan.FromMilliseconds(300);
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, interval);

        queue.Enqueue(1, this);
        await batches.WaitForAsync(1);
        queue.Enqueue(2, this);
        queue.Enqueue(3, this);
        await batches.WaitForAsync(2);
        await queue.CompleteAsync();

        Assert.Equal([[1], [2, 3]], batches.Items);
        Assert.True(batches.Starts[1] - batches.Starts[0] >= interval - TimeSpan.FromMilliseconds(1), $"{batches.Starts[1] - batches.Starts[0]}");
    }

    [Fact]
    public async Task An_item_that_finds_the_writer_idle_for_the_interval_goes_at_once()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.FromMilliseconds(200));
        queue.Enqueue(1, this);
        await batches.WaitForAsync(1);
        await Task.Delay(400);

        var queued = Recorder.Now();
        queue.Enqueue(2, this);
        await batches.WaitForAsync(2);
        await queue.CompleteAsync();

        // Well under the interval after it was queued (the bound allows for a busy machine, not for a paced wait).
        Assert.True(batches.Starts[1] - queued < TimeSpan.FromMilliseconds(150), $"{batches.Starts[1] - queued}");
    }

    [Fact]
    public async Task A_whole_batch_waiting_does_not_wait_for_the_interval()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.FromSeconds(60));
        queue.Enqueue(0, this);
        await batches.WaitForAsync(1);

        for (var i = 1; i <= GroupCommitQueue<int>.MaxBatch; i++)
        {
            queue.Enqueue(i, this);
        }

        await batches.WaitForAsync(2).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(1, GroupCommitQueue<int>.MaxBatch), batches.Items[1]);
        await queue.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Completing_handles_what_is_queued_without_waiting_for_the_interval()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.FromSeconds(60));
        queue.Enqueue(1, this);
        await batches.WaitForAsync(1);
        queue.Enqueue(2, this);

        await queue.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal([[1], [2]], batches.Items);
        Assert.Throws<ObjectDisposedException>(() => queue.Enqueue(3, this));
    }

    [Fact]
    public async Task With_no_interval_a_batch_starts_as_soon_as_the_last_ends()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.Zero);

        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue(i, this);
            await batches.WaitForAsync(i + 1).WaitAsync(TimeSpan.FromSeconds(20));
        }

        await queue.CompleteAsync();
        Assert.Equal(100, batches.Items.Count);
    }

    /// <summary>What each batch held and when it began (on the queue's thread).</summary>
    private sealed class Recorder
    {
        private readonly ConcurrentQueue<(TimeSpan Start, int[] Items)> batches = new();
        private readonly SemaphoreSlim handled = new(0);
        private int seen;

        public List<int[]> Items => [.. batches.Select(b => b.Items)];

        public List<TimeSpan> Starts => [.. batches.Select(b => b.Start)];

        public static TimeSpan Now() => Stopwatch.GetElapsedTime(0, Stopwatch.GetTimestamp());

        public void Handle(List<int> batch)
        {
            batches.Enqueue((Now(), [.. batch]));
            handled.Release();
        }

        public async Task WaitForAsync(int count)
        {
            while (seen < count)
            {
                Assert.True(await handled.WaitAsync(TimeSpan.FromSeconds(20)), "no batch came");
                seen++;
            }
        }
    }
}
