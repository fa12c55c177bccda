using System.Globalization;

namespace Messenger.Sidecar.Components;

/// <summary>
/// A resiliency retry policy (<c>spec.policies.retries.NAME</c>): constant (<c>duration</c>) or exponential
/// (<c>initialInterval</c>, growing by 1.5 up to <c>maxInterval</c>; no jitter, so runs repeat), <c>maxRetries</c>
/// (-1: forever). Defaults as in Dapr's docs.
/// </summary>
public sealed record RetryPolicy(string Name, bool Exponential, TimeSpan Duration, TimeSpan InitialInterval, TimeSpan MaxInterval, int MaxRetries)
{
    private const double Multiplier = 1.5;

    /// <summary>Dapr's built-in default for inbound pub/sub when no resiliency targets the component: none (the
    /// component's own redelivery takes over); the double then gives up at once.</summary>
    public static RetryPolicy None { get; } = new("none", false, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0);

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based), or null when no retry is left.</summary>
    public TimeSpan? DelayBefore(int retry)
    {
        if (MaxRetries >= 0 && retry > MaxRetries)
        {
            return null;
        }

        if (!Exponential)
        {
            return Duration;
        }

        var delay = InitialInterval.TotalMilliseconds * Math.Pow(Multiplier, retry - 1);
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxInterval.TotalMilliseconds));
    }

    public static RetryPolicy Parse(string name, IReadOnlyDictionary<string, object?> spec)
    {
        string? Value(string key) => spec.TryGetValue(key, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        var exponential = string.Equals(Value("policy") ?? "constant", "exponential", StringComparison.OrdinalIgnoreCase);
        return new RetryPolicy(
            name,
            exponential,
            DurationParser.Parse(Value("duration") ?? "5s"),
            DurationParser.Parse(Value("initialInterval") ?? "500ms"),
            DurationParser.Parse(Value("maxInterval") ?? "60s"),
            int.Parse(Value("maxRetries") ?? "-1", CultureInfo.InvariantCulture));
    }
}
