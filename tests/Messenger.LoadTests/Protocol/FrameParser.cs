using System.Text.Json;

namespace Messenger.LoadTests.Protocol;

/// <summary>
/// Reads a server frame with <see cref="Utf8JsonReader"/>. Hand-written because <c>message</c> is an object in a
/// <c>message</c> frame and a string in an <c>error</c> frame.
/// </summary>
public static class FrameParser
{
    public static ServerFrame Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, clientMessageId = null, conversationId = null, code = null, errorText = null;
        long seq = 0;
        MessagePayload? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { type = ReadString(ref reader); }
            else if (reader.ValueTextEquals("clientMessageId"u8)) { clientMessageId = ReadString(ref reader); }
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

        return new ServerFrame(type ?? throw new JsonException("frame without type"), clientMessageId, conversationId, seq, message, code, errorText);
    }

    private static MessagePayload ReadMessage(ref Utf8JsonReader reader)
    {
        string? messageId = null, conversationId = null, senderId = null, clientMessageId = null, text = null;
        long seq = 0;
        DateTimeOffset? sentAt = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messageId"u8)) { messageId = ReadString(ref reader); }
            else if (reader.ValueTextEquals("conversationId"u8)) { conversationId = ReadString(ref reader); }
            else if (reader.ValueTextEquals("seq"u8)) { seq = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("senderId"u8)) { senderId = ReadString(ref reader); }
            else if (reader.ValueTextEquals("clientMessageId"u8)) { clientMessageId = ReadString(ref reader); }
            else if (reader.ValueTextEquals("text"u8)) { text = ReadString(ref reader); }
            else if (reader.ValueTextEquals("sentAt"u8))
            {
                reader.Read();
                sentAt = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at) ? at : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new MessagePayload(messageId, conversationId ?? throw new JsonException("message without conversationId"), seq, senderId, clientMessageId, text, sentAt);
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            JsonTokenType.Number => reader.TryGetInt64(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            _ => SkipAndNull(ref reader),
        };
    }

    private static string? SkipAndNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static long ReadLong(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : 0;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException($"expected {token}");
        }
    }
}
