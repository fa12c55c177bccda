using System.Diagnostics;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The queue and thread of a group commit: what is queued while a batch is being handled is taken together as the
/// next batch (up to <see cref="MaxBatch"/>), and handed over on a thread of its own, since handling blocks on the
/// disk. Once <see cref="CompleteAsync"/> is called nothing more is queued; what was queued is handled first.
/// </summary>
/// <remarks>
/// Batches are paced by a token bucket: up to <see cref="Burst"/> batches may start at once, and then one per interval
/// (a whole batch waiting goes at once). A commit's fsync costs the CPU the same however many writes it carries (on a
/// virtual disk, tens of microseconds of exits to the hypervisor), so under load the writes that arrive meanwhile share
/// the next one instead of each paying for a commit of its own; below the pace (fewer commits than one per interval,
/// give or take a burst) nothing waits.
/// </remarks>
internal sealed class GroupCommitQueue<T>
{
    public const int MaxBatch = 512;

    /// <summary>How many batches may start one right after the other before the pace applies.</summary>
    public const int Burst = 8;

    private readonly Queue<T> queue = new();
    private readonly object gate = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<List<T>> handle;
    private readonly TimeSpan interval;
    private bool completed;
    private double credit = Burst;
    private long creditAt = Stopwatch.GetTimestamp();

    /// <param name="threadName">The name of the thread that runs <paramref name="handle"/>.</param>
    /// <param name="handle">Handles one batch; it must not throw (a failure is told to the batch's items).</param>
    /// <param name="interval">The pace: one batch per interval once a burst is spent; zero for no pace.</param>
    public GroupCommitQueue(string threadName, Action<List<T>> handle, TimeSpan interval)
    {
        this.handle = handle;
        this.interval = interval;
        new Thread(Run) { IsBackground = true, Name = threadName }.Start();
    }

    /// <summary>Queues <paramref name="item"/>; once completed, throws <see cref="ObjectDisposedException"/> for <paramref name="owner"/>.</summary>
    public void Enqueue(T item, object owner)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(completed, owner);
            queue.Enqueue(item);
            if (queue.Count is 1 or MaxBatch)
            {
                Monitor.Pulse(gate);
            }
        }
    }

    /// <summary>Takes nothing more; done once everything queued has been handled and the thread has ended.</summary>
    public Task CompleteAsync()
    {
        lock (gate)
        {
            completed = true;
            Monitor.Pulse(gate);
        }

        return stopped.Task;
    }

    private void Run()
    {
        var batch = new List<T>(MaxBatch);
        while (Take(batch))
        {
            handle(batch);
            batch.Clear();
        }

        stopped.SetResult();
    }

    /// <summary>Waits for items and takes up to a batch of them; false once completed and drained.</summary>
    private bool Take(List<T> batch)
    {
        lock (gate)
        {
            while (queue.Count == 0 && !completed)
            {
                Monitor.Wait(gate);
            }

            while (!completed && queue.Count < MaxBatch && UntilCredit() is > 0 and var rest)
            {
                Monitor.Wait(gate, rest);
            }

            while (batch.Count < MaxBatch && queue.TryDequeue(out var item))
            {
                batch.Add(item);
            }

            // A whole batch that did not wait for its credit leaves none, rather than a debt.
            credit = Math.Max(0, credit - 1);
            return batch.Count > 0;
        }
    }

    /// <summary>Whole milliseconds (rounded up) until a batch may start; 0 when one may now.</summary>
    private int UntilCredit()
    {
        if (interval <= TimeSpan.Zero)
        {
            return 0;
        }

        var now = Stopwatch.GetTimestamp();
        credit = Math.Min(Burst, credit + (Stopwatch.GetElapsedTime(creditAt, now) / interval));
        creditAt = now;
        return credit >= 1 ? 0 : (int)Math.Ceiling((1 - credit) * interval.TotalMilliseconds);
    }
}
