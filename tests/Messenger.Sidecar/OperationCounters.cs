using System.Collections.Concurrent;

namespace Messenger.Sidecar;

/// <summary>Counts of <see cref="Operation"/>s per app id, safe for concurrent use.</summary>
public sealed class OperationCounters
{
    private static readonly Operation[] All = Enum.GetValues<Operation>();
    private readonly ConcurrentDictionary<string, long[]> apps = new(StringComparer.Ordinal);

    public void Add(string appId, Operation operation, long count = 1) =>
        Interlocked.Add(ref apps.GetOrAdd(appId, _ => new long[All.Length])[(int)operation], count);

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

    public void Reset()
    {
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
