using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messenger.Core.Protocol;

/// <summary>Timestamps on the wire: ISO 8601 in UTC with milliseconds, e.g. <c>2026-11-28T01:14:41.731Z</c>.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
