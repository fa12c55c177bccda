using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messenger.Core.Protocol;

/// <summary>Timestamps on the wire: ISO 8601 in UTC with milliseconds, e.g. <c>2026-11-28T01:14:41.731Z</c>.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>"O" of a UTC time: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, of which the first 23 bytes are kept.</summary>
    private const int RoundTripLength = 28;

    private const int MillisecondsLength = 23;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    /// <summary>Formats straight into UTF-8 (no string per timestamp): the round-trip form cut after the milliseconds.</summary>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> utf8 = stackalloc byte[RoundTripLength];
        Utf8Formatter.TryFormat(value.UtcDateTime, utf8, out _, new StandardFormat('O'));
        utf8[MillisecondsLength] = (byte)'Z';
        writer.WriteStringValue(utf8[..(MillisecondsLength + 1)]);
    }
}
