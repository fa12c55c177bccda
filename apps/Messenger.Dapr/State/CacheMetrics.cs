using System.Diagnostics.Metrics;

namespace Messenger.Dapr.State;

/// <summary>Hits and misses of the history cache, on the meter <c>Messenger.Cache</c> (OpenTelemetry picks it up by name).</summary>
public sealed class CacheMetrics
{
    public const string MeterName = "Messenger.Cache";
    public const string HitsName = "messenger.cache.hits";
    public const string MissesName = "messenger.cache.misses";

    private readonly Counter<long> hits;
    private readonly Counter<long> misses;

    public CacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        hits = meter.CreateCounter<long>(HitsName, "{block}", "History blocks served from the cache store.");
        misses = meter.CreateCounter<long>(MissesName, "{block}", "History blocks read from the state store because the cache lacked them.");
    }

    public void Hit() => hits.Add(1);

    public void Miss() => misses.Add(1);
}
