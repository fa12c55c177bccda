using System.Collections.Concurrent;

namespace Messenger.Sidecar.Tests.Apps;

/// <summary>Which test app instance an actor runs in, and what its actors observed.</summary>
public sealed class AppIdentity(string name)
{
    public string Name { get; } = name;

    public ConcurrentDictionary<string, int> InFlight { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<string> Overlaps { get; } = [];

    public int MaxConcurrentAcrossIds;

    public int CurrentAcrossIds;
}
