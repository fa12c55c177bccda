using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Messenger.Deploy.Tests;

/// <summary>
/// The longest time Dapr can spend delivering one pub/sub event under a resiliency policy: every retry waits the
/// longest interval the exponential backoff can give (its cap, plus Dapr's ±50 % jitter) and every attempt runs until
/// its timeout. A policy without a timeout or with endless retries has no bound (null).
/// </summary>
public static partial class RetryBudget
{
    /// <summary>Dapr's backoff randomization factor (dapr/kit retry.DefaultConfig → cenkalti/backoff default 0.5).</summary>
    public const double Jitter = 0.5;

    /// <summary>The budget of the inbound policy of component <paramref name="component"/> in a Resiliency spec.</summary>
    public static TimeSpan? Of(JsonNode resiliencySpec, string component)
    {
        var inbound = resiliencySpec["targets"]?["components"]?[component]?["inbound"];
        var retryName = inbound?["retry"]?.GetValue<string>();
        var timeoutName = inbound?["timeout"]?.GetValue<string>();
        if (retryName is null || timeoutName is null)
        {
            return null;
        }

        var retry = resiliencySpec["policies"]!["retries"]![retryName]!;
        var timeout = GoDuration(resiliencySpec["policies"]!["timeouts"]![timeoutName]!.GetValue<string>());
        return Compute(
            Convert.ToInt32(retry["maxRetries"]!.ToString(), CultureInfo.InvariantCulture),
            GoDuration(retry["maxInterval"]!.GetValue<string>()),
            timeout);
    }

    public static TimeSpan? Compute(int maxRetries, TimeSpan maxInterval, TimeSpan timeout) =>
        maxRetries < 0
            ? null
            : (maxInterval * (1 + Jitter) * maxRetries) + (timeout * (maxRetries + 1));

    /// <summary>A Go duration as Dapr's files write them: one or more of <c>500ms</c>, <c>15s</c>, <c>5m</c>, <c>1h</c>.</summary>
    public static TimeSpan GoDuration(string text)
    {
        var parts = DurationPart().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            throw new FormatException($"'{text}' is not a duration with a unit (a bare number means milliseconds to Dapr's Redis component).");
        }

        return parts.Aggregate(TimeSpan.Zero, (sum, p) =>
        {
            var amount = long.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + p.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        });
    }

    [GeneratedRegex(@"(\d+)(ms|s|m|h)")]
    private static partial Regex DurationPart();
}
