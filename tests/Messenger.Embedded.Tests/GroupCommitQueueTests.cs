using System.Collections.Concurrent;
using System.Diagnostics;
using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class GroupCommitQueueTests
{
    [Fact]
    public async Task A_burst_of_batches_goes_at_once()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.FromSeconds(60));

        await SpendBurstAsync(queue, batches).WaitAsync(TimeSpan.FromSeconds(20));
        await queue.CompleteAsync();

        Assert.Equal(Enumerable.Range(0, GroupCommitQueue<int>.Burst).Select(i => new[] { i }), batches.Items);
    }

    [Fact]
    public async Task Once_the_burst_is_spent_items_queued_meanwhile_go_together_an_interval_later()
    {
        var interval = TimeSpan.FromMilliseconds(400);
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, interval);
        await SpendBurstAsync(queue, batches);

        queue.Enqueue(100, this);
        queue.Enqueue(101, this);
        await batches.WaitForAsync(GroupCommitQueue<int>.Burst + 1);
        await queue.CompleteAsync();

        Assert.Equal([100, 101], batches.Items[^1]);

        // Less the credit earned while the burst itself ran, which on a busy machine may be a good part of the interval.
        var waited = batches.Starts[^1] - batches.Starts[^2];
        Assert.True(waited >= interval / 2, $"{waited}");
    }

    [Fact]
    public async Task An_item_that_finds_the_writer_idle_for_the_interval_goes_at_once()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.FromMilliseconds(200));
        await SpendBurstAsync(queue, batches);
        await Task.Delay(400);

        var queued = Recorder.Now();
        queue.Enqueue(100, this);
        await batches.WaitForAsync(GroupCommitQueue<int>.Burst + 1);
        await queue.CompleteAsync();

        // Well under the interval after it was queued (the bound allows for a busy machine, not for a paced wait).
        Assert.True(batches.Starts[^1] - queued < TimeSpan.FromMilliseconds(150), $"{batches.Starts[^1] - queued}");
    }

    [Fact]
    public async Task A_whole_batch_waiting_does_not_wait_for_the_interval()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.FromSeconds(60));
        await SpendBurstAsync(queue, batches);

        for (var i = 1; i <= GroupCommitQueue<int>.MaxBatch; i++)
        {
            queue.Enqueue(1000 + i, this);
        }

        await batches.WaitForAsync(GroupCommitQueue<int>.Burst + 1).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(1001, GroupCommitQueue<int>.MaxBatch), batches.Items[^1]);
        await queue.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Completing_handles_what_is_queued_without_waiting_for_the_interval()
    {
        var batches = new Recorder();
        var queue = new GroupCommitQueue<int>("test", batches.Handle, TimeSpan.FromSeconds(60));
        await SpendBurstAsync(queue, batches);
        queue.Enqueue(100, this);

        await queue.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal([100], batches.Items[^1]);
        Assert.Throws<ObjectDisposedException>(() => queue.Enqueue(101, this));
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

    /// <summary>Queues items 0, 1, … one at a time, each alone in a batch, until the burst is spent.</summary>
    private async Task SpendBurstAsync(GroupCommitQueue<int> queue, Recorder batches)
    {
        for (var i = 0; i < GroupCommitQueue<int>.Burst; i++)
        {
            queue.Enqueue(i, this);
            await batches.WaitForAsync(i + 1);
        }
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
