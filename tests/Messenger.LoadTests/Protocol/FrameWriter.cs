using System.Buffers;
using System.Text.Json;

namespace Messenger.LoadTests.Protocol;

/// <summary>Writes client frames straight into a reusable buffer, without intermediate objects.</summary>
public static class FrameWriter
{
    /// <summary>Writes a send frame with a writer the caller reuses (reset to its buffer before each frame).</summary>
    public static void WriteSend(Utf8JsonWriter writer, string conversationId, string clientMessageId, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, FrameTypes.Send);
        writer.WriteString("conversationId"u8, conversationId);
        writer.WriteString("clientMessageId"u8, clientMessageId);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
        writer.Flush();
    }

    public static void WriteSync(IBufferWriter<byte> output, IReadOnlyDictionary<string, long> cursors)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("type"u8, FrameTypes.Sync);
        writer.WriteStartObject("cursors"u8);
        foreach (var (conversationId, seq) in cursors)
        {
            writer.WriteNumber(conversationId, seq);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WritePing(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("type"u8, FrameTypes.Ping);
        writer.WriteEndObject();
    }
}
