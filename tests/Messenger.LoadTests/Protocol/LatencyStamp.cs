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

    /// <summary>The stamp of a text written by <see cref="Text"/>, or 0 for any other text.</summary>
    public static long ReadText(ReadOnlySpan<byte> text)
    {
        if (!text.StartsWith("lt:"u8))
        {
            return 0;
        }

        var rest = text[3..];
        var end = rest.IndexOf((byte)' ');
        return FrameParser.ParseDigits(end < 0 ? rest : rest[..end]);
    }

    /// <summary>The stamp of a clientMessageId written by <see cref="ClientMessageId"/>, or 0.</summary>
    public static long ReadClientMessageId(ReadOnlySpan<byte> clientMessageId)
    {
        var last = clientMessageId.LastIndexOf((byte)'-');
        return last < 0 ? 0 : FrameParser.ParseDigits(clientMessageId[(last + 1)..]);
    }

    public static long MicrosecondsSince(long timestamp, long now) =>
        Math.Max(0, (now - timestamp) * 1_000_000 / Stopwatch.Frequency);
}
