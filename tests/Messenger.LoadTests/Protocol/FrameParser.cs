using System.Buffers.Text;
using System.Text.Json;

namespace Messenger.LoadTests.Protocol;

/// <summary>
/// Reads a server frame with <see cref="Utf8JsonReader"/>, allocating only what the tool keeps. Hand-written because
/// <c>message</c> is an object in a <c>message</c> frame and a string in an <c>error</c> frame, and because the load
/// tool must stay cheap next to the server it measures.
/// </summary>
public static class FrameParser
{
    public static ServerFrame Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a frame must be a JSON object");
        }

        string? type = null, conversationId = null, code = null, errorText = null;
        long seq = 0, stamp = 0;
        MessagePayload? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = ReadType(ref reader);
            }
            else if (reader.ValueTextEquals("clientMessageId"u8))
            {
                reader.Read();
                stamp = reader.TokenType == JsonTokenType.String ? LatencyStamp.ReadClientMessageId(ValueBytes(ref reader)) : 0;
            }
            else if (reader.ValueTextEquals("conversationId"u8)) { conversationId = ReadString(ref reader); }
            else if (reader.ValueTextEquals("seq"u8)) { seq = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("code"u8)) { code = ReadString(ref reader); }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) { message = ReadMessage(ref reader); }
                else if (reader.TokenType == JsonTokenType.String) { errorText = reader.GetString(); }
                else { reader.Skip(); }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ServerFrame(type ?? throw new JsonException("frame without type"), conversationId, seq, stamp, message, code, errorText);
    }

    private static MessagePayload ReadMessage(ref Utf8JsonReader reader)
    {
        string? conversationId = null;
        long seq = 0, stamp = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("conversationId"u8)) { conversationId = ReadString(ref reader); }
            else if (reader.ValueTextEquals("seq"u8)) { seq = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                stamp = reader.TokenType == JsonTokenType.String ? LatencyStamp.ReadText(ValueBytes(ref reader)) : 0;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new MessagePayload(conversationId ?? throw new JsonException("message without conversationId"), seq, stamp);
    }

    private static string ReadType(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("message"u8)) { return FrameTypes.Message; }
        if (reader.ValueTextEquals("sent"u8)) { return FrameTypes.Sent; }
        if (reader.ValueTextEquals("synced"u8)) { return FrameTypes.Synced; }
        if (reader.ValueTextEquals("pong"u8)) { return FrameTypes.Pong; }
        if (reader.ValueTextEquals("error"u8)) { return FrameTypes.Error; }
        return reader.GetString() ?? string.Empty;
    }

    /// <summary>The raw bytes of a string value; the stamps are plain ASCII, so escapes never matter for them.</summary>
    private static ReadOnlySpan<byte> ValueBytes(ref Utf8JsonReader reader) =>
        reader.HasValueSequence || reader.ValueIsEscaped ? reader.GetString() is { } s ? System.Text.Encoding.UTF8.GetBytes(s) : [] : reader.ValueSpan;

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static long ReadLong(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : 0;
    }

    internal static long ParseDigits(ReadOnlySpan<byte> digits) =>
        Utf8Parser.TryParse(digits, out long value, out var consumed) && consumed == digits.Length ? value : 0;
}
