using System.Diagnostics;
using System.Globalization;

namespace Messenger.LoadTests.Protocol;

/// <summary>
/// Puts the intended send time (a <see cref="Stopwatch"/> timestamp, monotonic and shared by every process of the
/// machine) into the message text and the clientMessageId, so that the receiver and the sender measure latency
/// without any state. Using the intended rather than the actual send time avoids coordinated omission.
/// </summary>
public static class LatencyStamp
{
    private const string TextPrefix = "lt:";

    public static string Text(long timestamp, int length)
    {
        var core = TextPrefix + timestamp.ToString(CultureInfo.InvariantCulture) + " ";
        return core.Length >= length ? core : core + new string('x', length - core.Length);
    }

    public static string ClientMessageId(int senderIndex, long counter, long timestamp) =>
        string.Create(CultureInfo.InvariantCulture, $"{senderIndex}-{counter}-{timestamp}");

    public static bool TryReadText(string? text, out long timestamp)
    {
        timestamp = 0;
        if (text is null || !text.StartsWith(TextPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var span = text.AsSpan(TextPrefix.Length);
        var end = span.IndexOf(' ');
        return long.TryParse(end < 0 ? span : span[..end], NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }

    public static bool TryReadClientMessageId(string? clientMessageId, out long timestamp)
    {
        timestamp = 0;
        if (clientMessageId is null)
        {
            return false;
        }

        var last = clientMessageId.LastIndexOf('-');
        return last >= 0 && long.TryParse(clientMessageId.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }

    public static long MicrosecondsSince(long timestamp, long now) =>
        Math.Max(0, (now - timestamp) * 1_000_000 / Stopwatch.Frequency);
}
