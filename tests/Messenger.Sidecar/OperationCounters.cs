using System.Collections.Concurrent;

namespace Messenger.Sidecar;

/// <summary>Counts of <see cref="Operation"/>s per app id, safe for concurrent use.</summary>
public sealed class OperationCounters
{
    private static readonly Operation[] All = Enum.GetValues<Operation>();
    private readonly ConcurrentDictionary<string, long[]> apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string App, Operation Operation, string Kind), long> keys = new();

    public void Add(string appId, Operation operation, long count = 1) =>
        Interlocked.Add(ref apps.GetOrAdd(appId, _ => new long[All.Length])[(int)operation], count);

    /// <summary>Counts one key of a state operation under its <see cref="KeyKind"/>.</summary>
    public void AddKey(string appId, Operation operation, string key) =>
        keys.AddOrUpdate((appId, operation, KeyKind.Of(key)), 1, (_, count) => count + 1);

    public long Get(string appId, Operation operation) =>
        apps.TryGetValue(appId, out var counts) ? Interlocked.Read(ref counts[(int)operation]) : 0;

    public long Total(Operation operation) => apps.Values.Sum(counts => Interlocked.Read(ref counts[(int)operation]));

    /// <summary>{ appId: { operation: count } } plus a "total" entry, operations in camelCase.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Snapshot()
    {
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (app, counts) in apps)
        {
            result[app] = All.ToDictionary(Name, op => Interlocked.Read(ref counts[(int)op]));
        }

        result["total"] = All.ToDictionary(Name, Total);
        return result;
    }

    /// <summary>{ appId: { operation: { keyKind: count } } } of the keys counted with <see cref="AddKey"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> KeySnapshot() =>
        keys.ToArray()
            .GroupBy(e => e.Key.App, StringComparer.Ordinal)
            .ToDictionary(
                app => app.Key,
                app => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>)app
                    .GroupBy(e => Name(e.Key.Operation), StringComparer.Ordinal)
                    .ToDictionary(op => op.Key, op => (IReadOnlyDictionary<string, long>)new SortedDictionary<string, long>(
                        op.ToDictionary(e => e.Key.Kind, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal), StringComparer.Ordinal),
                StringComparer.Ordinal);

    public void Reset()
    {
        keys.Clear();
        foreach (var counts in apps.Values)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                Interlocked.Exchange(ref counts[i], 0);
            }
        }
    }

    private static string Name(Operation operation)
    {
        var name = operation.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
