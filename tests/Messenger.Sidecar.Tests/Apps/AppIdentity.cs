using System.Collections.Concurrent;

namespace Messenger.Sidecar.Tests.Apps;

/// <summary>Which test app instance an actor runs in, and what its actors observed.</summary>
public sealed class AppIdentity(string name)
{
    public string Name { get; } = name;

    public ConcurrentDictionary<string, int> InFlight { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<string> Overlaps { get; } = [];

    private int maxConcurrentAcrossIds;
    private int currentAcrossIds;

    /// <summary>The most calls that ran at once, over all actor ids.</summary>
    public int MaxConcurrentAcrossIds => Volatile.Read(ref maxConcurrentAcrossIds);

    /// <summary>A call starts on some actor id: counted, and the peak kept.</summary>
    public void Enter()
    {
        var across = Interlocked.Increment(ref currentAcrossIds);
        int peak;
        while (across > (peak = Volatile.Read(ref maxConcurrentAcrossIds))
            && Interlocked.CompareExchange(ref maxConcurrentAcrossIds, across, peak) != peak)
        {
        }
    }

    /// <summary>A call ends.</summary>
    public void Leave() => Interlocked.Decrement(ref currentAcrossIds);
}
