namespace Messenger.Embedded.Owner;

/// <summary>
/// An async mutex per key; a key's entry lives only while someone holds or waits for it, and a freed entry is kept
/// for the next key, so that taking a free lock allocates nothing.
/// </summary>
internal sealed class KeyedLock
{
    private const int MaxFreeEntries = 64;
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Stack<Entry> free = new();

    public async ValueTask<Holder> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!))
            {
                entries[key] = entry = free.TryPop(out var reused) ? reused : new Entry();
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(key, entry, held: false);
            throw;
        }

        return new Holder(this, key, entry);
    }

    private void Release(string key, Entry entry, bool held)
    {
        lock (entries)
        {
            if (held)
            {
                entry.Semaphore.Release();
            }

            if (--entry.Users == 0)
            {
                entries.Remove(key);
                if (free.Count < MaxFreeEntries)
                {
                    free.Push(entry);
                }
            }
        }
    }

    /// <summary>The lock of one key, held until disposed (once: <c>using</c> it is the only way it is used).</summary>
    public readonly struct Holder(KeyedLock owner, string key, Entry entry) : IDisposable
    {
        public void Dispose() => owner.Release(key, entry, held: true);
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
