using System.ComponentModel.DataAnnotations;

namespace Messenger.Hosting.RateLimits;

/// <summary>A burst of <see cref="Burst"/> at once, then <see cref="PerMinute"/> a minute.</summary>
public sealed class TokenBucket
{
    [Range(1, 1_000_000)]
    public int Burst { get; set; }

    [Range(1, 6_000_000)]
    public int PerMinute { get; set; }

    public static TokenBucket Of(int burst, int perMinute) => new() { Burst = burst, PerMinute = perMinute };
}
