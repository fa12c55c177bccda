using System.Diagnostics;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The queue and thread of a group commit: what is queued while a batch is being handled is taken together as the
/// next batch (up to <see cref="MaxBatch"/>), and handed over on a thread of its own, since handling blocks on the
/// disk. Once <see cref="CompleteAsync"/> is called nothing more is queued; what was queued is handled first.
/// </summary>
/// <remarks>
/// Batches are paced: one starts no sooner than the interval after the start of the one before (unless a whole batch
/// is waiting). A commit's fsync costs the CPU the same however many writes it carries (on a virtual disk, tens of
/// microseconds of exits to the hypervisor), so under load writes that arrive meanwhile share the next one instead of
/// each paying for a commit of its own; a write that comes when the disk has been idle for the interval goes at once.
/// </remarks>
internal sealed class GroupCommitQueue<T>
{
    public const int MaxBatch = 512;

    private readonly Queue<T> queue = new();
    private readonly object gate = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<List<T>> handle;
    private readonly TimeSpan interval;
    private bool completed;
    private long lastStart;

    /// <param name="threadName">The name of the thread that runs <paramref name="handle"/>.</param>
    /// <param name="handle">Handles one batch; it must not throw (a failure is told to the batch's items).</param>
    /// <param name="interval">The shortest time from the start of one batch to the start of the next.</param>
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
            lastStart = Stopwatch.GetTimestamp();
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

            while (!completed && queue.Count < MaxBatch && RestOfInterval() is > 0 and var rest)
            {
                Monitor.Wait(gate, rest);
            }

            while (batch.Count < MaxBatch && queue.TryDequeue(out var item))
            {
                batch.Add(item);
            }

            return batch.Count > 0;
        }
    }

    /// <summary>Whole milliseconds (rounded up) until the interval since the last batch began is over; 0 once it is.</summary>
    private int RestOfInterval()
    {
        var rest = interval - Stopwatch.GetElapsedTime(lastStart);
        return rest > TimeSpan.Zero ? (int)Math.Ceiling(rest.TotalMilliseconds) : 0;
    }
}
