using System.Collections.Concurrent;
using System.Globalization;
using Messenger.Sidecar.Actors;
using Messenger.Sidecar.Components;
using Messenger.Sidecar.PubSub;
using Messenger.Sidecar.State;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar;

/// <summary>
/// What the sidecars of one deployment share, in one process: the state stores (one per state component name, the
/// stand-in for Redis), the pub/sub broker, actor placement and the operation counters.
/// </summary>
public sealed class Infrastructure : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StateStore> stores = new(StringComparer.Ordinal);

    public Infrastructure(ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        LoggerFactory = loggerFactory;
        Time = time ?? TimeProvider.System;
        Broker = new Broker(loggerFactory.CreateLogger<Broker>());
        Placement = new Placement(loggerFactory.CreateLogger<Placement>(), Time);
    }

    public ILoggerFactory LoggerFactory { get; }

    public TimeProvider Time { get; }

    public Broker Broker { get; }

    public Placement Placement { get; }

    public OperationCounters Counters { get; } = new();

    public HopTimings Hops { get; } = new();

    /// <summary>The store behind a state component (created on first use; the component's <c>ttlInSeconds</c> is
    /// its default TTL).</summary>
    public StateStore StoreFor(Component component) =>
        stores.GetOrAdd(component.Name, name =>
            new StateStore(name, Time, int.TryParse(component.Get("ttlInSeconds"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ttl) ? ttl : null));

    public StateStore? Store(string name) => stores.GetValueOrDefault(name);

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Placement.DisposeAsync();
    }
}
