using System.Globalization;

namespace Messenger.Sidecar.State;

/// <summary>
/// An in-memory key/value state store with the concurrency rules of Dapr's Redis store: every key has a version
/// (its ETag); a write with an ETag succeeds only if it matches; a write without one succeeds unless the key exists
/// and was ever written with first-write concurrency; a delete without ETag always succeeds and one with an ETag
/// succeeds if the key is absent or the ETag matches; TTLs per write (<c>ttlInSeconds</c>) or from the component.
/// Transactions are all-or-nothing (Dapr's transactional contract; stricter than a Redis MULTI, which applies the
/// operations that did not fail).
/// </summary>
public sealed class StateStore(string name, TimeProvider time, int? defaultTtlSeconds)
{
    private const int PurgeEveryWrites = 4096;
    private readonly Lock gate = new();
    private readonly Dictionary<string, StateEntry> entries = new(StringComparer.Ordinal);
    private long writes;

    public string Name { get; } = name;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count(e => !Expired(e.Value));
            }
        }
    }

    public StateEntry? Get(string key)
    {
        lock (gate)
        {
            return Live(key);
        }
    }

    /// <summary>Reads several keys at once; the answer comes in no particular order, as from a real store.</summary>
    public IReadOnlyList<(string Key, StateEntry? Entry)> BulkGet(IReadOnlyList<string> keys)
    {
        List<(string, StateEntry?)> found;
        lock (gate)
        {
            found = keys.Select(k => (k, Live(k))).ToList();
        }

        var shuffled = found.ToArray();
        Random.Shared.Shuffle(shuffled);
        return shuffled;
    }

    /// <summary>Keys (live) that start with <paramref name="prefix"/>; for inspection by tests and the admin API.</summary>
    public IReadOnlyList<string> Keys(string prefix)
    {
        lock (gate)
        {
            return entries.Where(e => !Expired(e.Value) && e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Applies the operations all or none: every one is checked against the state before any is applied.</summary>
    public void Apply(IReadOnlyList<StateOperation> operations)
    {
        lock (gate)
        {
            var staged = new Dictionary<string, StateEntry?>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                var current = staged.TryGetValue(operation.Key, out var s) ? s : Live(operation.Key);
                staged[operation.Key] = operation.IsDelete ? CheckDelete(operation, current) : CheckSet(operation, current);
            }

            foreach (var (key, entry) in staged)
            {
                if (entry is null)
                {
                    entries.Remove(key);
                }
                else
                {
                    entries[key] = entry;
                }
            }

            writes += operations.Count;
            if (writes >= PurgeEveryWrites)
            {
                writes = 0;
                foreach (var key in entries.Where(e => Expired(e.Value)).Select(e => e.Key).ToList())
                {
                    entries.Remove(key);
                }
            }
        }
    }

    private static StateEntry? CheckDelete(StateOperation operation, StateEntry? current)
    {
        if (current is not null && operation.HasETag && operation.ETag != "0" && operation.ETag != current.ETag)
        {
            throw new StateStoreException(StateErrorKind.ETagMismatch, $"possible etag mismatch. error from state store: failed to delete {operation.Key}");
        }

        return null;
    }

    private StateEntry CheckSet(StateOperation operation, StateEntry? current)
    {
        var version = operation.Concurrency == StateConcurrency.LastWrite ? 0 : ParseETag(operation);
        var allowed = current is null || current.Version == version || (!current.FirstWrite && version == 0);
        if (!allowed)
        {
            throw operation.HasETag
                ? new StateStoreException(StateErrorKind.ETagMismatch, $"possible etag mismatch. error from state store: failed to set key {operation.Key}")
                : new StateStoreException(StateErrorKind.Refused, $"failed to set key {operation.Key}");
        }

        var ttl = operation.TtlSeconds ?? defaultTtlSeconds;
        var expires = ttl switch
        {
            null => current?.ExpiresAt,
            <= 0 => null,
            _ => time.GetUtcNow().AddSeconds(ttl.Value),
        };
        return new StateEntry(operation.Value!, (current?.Version ?? 0) + 1, (current?.FirstWrite ?? false) || operation.Concurrency == StateConcurrency.FirstWrite, expires);
    }

    private static long ParseETag(StateOperation operation)
    {
        if (!operation.HasETag)
        {
            return 0;
        }

        return long.TryParse(operation.ETag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new StateStoreException(StateErrorKind.ETagInvalid, $"invalid etag value: strconv.Atoi: parsing \"{operation.ETag}\": invalid syntax");
    }

    private StateEntry? Live(string key)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (!Expired(entry))
        {
            return entry;
        }

        entries.Remove(key);
        return null;
    }

    private bool Expired(StateEntry entry) => entry.ExpiresAt is { } at && at <= time.GetUtcNow();
}
