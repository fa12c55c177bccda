using System.Globalization;
using System.Text.RegularExpressions;

namespace Messenger.Sidecar.Components;

/// <summary>Go duration strings as Dapr's resiliency and configuration files write them (<c>500ms</c>, <c>15s</c>,
/// <c>1m30s</c>, <c>1h</c>).</summary>
public static partial class DurationParser
{
    public static TimeSpan Parse(string text)
    {
        var total = TimeSpan.Zero;
        var matches = Part().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            throw new FormatException($"'{text}' is not a duration (such as 500ms, 15s, 1m30s).");
        }

        foreach (Match match in matches)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "ns" => TimeSpan.FromTicks((long)(amount / 100)),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        return total;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}
