using System.Buffers;
using System.Text.Json;
using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Relay;

/// <summary>Server frames of the client contract, written once per message and shared by every recipient.</summary>
public static class RelayFrames
{
    public static byte[] Message(string messageId, RelayConversation conversation, long seq, RelayUser sender, string? clientMessageId, string? text, DateTimeOffset sentAt)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, FrameTypes.Message);
            writer.WriteStartObject("message"u8);
            writer.WriteString("messageId"u8, messageId);
            writer.WriteString("conversationId"u8, conversation.ConversationId);
            writer.WriteNumber("seq"u8, seq);
            writer.WriteString("senderId"u8, sender.UserId);
            writer.WriteString("clientMessageId"u8, clientMessageId);
            writer.WriteString("text"u8, text);
            writer.WriteNull("media"u8);
            writer.WriteString("sentAt"u8, sentAt);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Sent(string messageId, string conversationId, long seq, string? clientMessageId, DateTimeOffset sentAt)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, FrameTypes.Sent);
            writer.WriteString("clientMessageId"u8, clientMessageId);
            writer.WriteString("conversationId"u8, conversationId);
            writer.WriteNumber("seq"u8, seq);
            writer.WriteString("messageId"u8, messageId);
            writer.WriteString("sentAt"u8, sentAt);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Error(string code, string message, string? reference)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, FrameTypes.Error);
            writer.WriteString("code"u8, code);
            writer.WriteString("message"u8, message);
            writer.WriteString("ref"u8, reference);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Simple(string type)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
