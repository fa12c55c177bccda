using System.Threading.RateLimiting;
using Messenger.Core.Errors;
using Messenger.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace Messenger.Hosting.RateLimits;

/// <summary>
/// Token buckets per (kind, user or address), on System.Threading.RateLimiting — the limiters behind ASP.NET Core's
/// rate limiting middleware — shared by the HTTP endpoints and the WebSocket frames, so that a client cannot go around
/// a limit by switching transport.
/// </summary>
public sealed class ChatRateLimiter : IAsyncDisposable
{
    /// <summary>The <c>messenger.kind</c> tag of each kind's rejections, built once.</summary>
    private static readonly Dictionary<RateLimitKind, KeyValuePair<string, object?>> RejectionTags = Enum.GetValues<RateLimitKind>()
        .ToDictionary(kind => kind, kind => new KeyValuePair<string, object?>(MessengerTelemetry.KindAttribute, kind.ToString().ToLowerInvariant()));

    private readonly RateLimitOptions options;
    private readonly Dictionary<RateLimitKind, PartitionedRateLimiter<string>> limiters = [];

    public ChatRateLimiter(IOptions<RateLimitOptions> options)
    {
        this.options = options.Value;
        foreach (var kind in Enum.GetValues<RateLimitKind>())
        {
            var bucket = this.options.For(kind);
            limiters[kind] = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(bucket)));
        }
    }

    /// <summary>Takes one token for <paramref name="key"/>; throws <c>rate_limited</c> with a retry time when none is left.</summary>
    public void Acquire(RateLimitKind kind, string key)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var lease = limiters[kind].AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            MessengerTelemetry.RateLimitRejections.Add(1, RejectionTags[kind]);
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1.0 / options.For(kind).PerMinute);
            throw ChatException.RateLimited(Describe(kind), retryAfter);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var limiter in limiters.Values)
        {
            await limiter.DisposeAsync();
        }
    }

    private static TokenBucketRateLimiterOptions Bucket(TokenBucket bucket)
    {
        // Refill in small steps: one token every 60/PerMinute seconds, but no step shorter than 50 ms.
        var period = TimeSpan.FromMinutes(1.0 / bucket.PerMinute);
        var tokens = 1;
        if (period < TimeSpan.FromMilliseconds(50))
        {
            tokens = (int)Math.Ceiling(bucket.PerMinute / 1200.0);
            period = TimeSpan.FromMinutes((double)tokens / bucket.PerMinute);
        }

        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static string Describe(RateLimitKind kind) => kind switch
    {
        RateLimitKind.Sends => "messages",
        RateLimitKind.Typing => "typing notices",
        RateLimitKind.Receipts => "receipts",
        RateLimitKind.Syncs => "syncs",
        RateLimitKind.Conversations => "conversation changes",
        RateLimitKind.Uploads => "uploads",
        RateLimitKind.Registrations => "registrations from this address",
        RateLimitKind.Logins => "login attempts",
        _ => "requests",
    };
}
