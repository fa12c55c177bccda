using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Protocol;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// A record of the message log: the length of what follows the header's first eight bytes, a CRC-32 of it, the
/// record's id and the message as JSON (all integers little-endian). Reading stops at the first record that is cut
/// short or does not match its CRC: the end of what was written, or a write that failed.
/// </summary>
internal static class LogRecords
{
    /// <summary>Length, CRC, id.</summary>
    public const int HeaderBytes = 16;

    /// <summary>Far above any message (a text is at most a few KB); a length above it is no record.</summary>
    private const int MaxBodyBytes = 1 << 20;

    /// <summary>The header of the record of <paramref name="json"/> with id <paramref name="id"/>.</summary>
    public static byte[] Header(long id, byte[] json)
    {
        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), id);
        var crc = new Crc32();
        crc.Append(header.AsSpan(8));
        crc.Append(json);
        BinaryPrimitives.WriteInt32LittleEndian(header, 8 + json.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), crc.GetCurrentHashAsUInt32());
        return header;
    }

    /// <summary>The intact records at the start of <paramref name="bytes"/>, in the order written.</summary>
    public static IEnumerable<(long Id, Message Message)> Read(byte[] bytes)
    {
        var offset = 0;
        while (bytes.Length - offset >= HeaderBytes)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            if (length <= 8 || length > MaxBodyBytes || length > bytes.Length - offset - 8)
            {
                yield break;
            }

            var body = bytes.AsSpan(offset + 8, length);
            if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4)) || Parse(body[8..]) is not { } message)
            {
                yield break;
            }

            yield return (BinaryPrimitives.ReadInt64LittleEndian(body), message);
            offset += 8 + length;
        }
    }

    private static Message? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ProtocolJson.Default.Message);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
