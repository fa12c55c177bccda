using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Messenger.ReliabilityTests.Infrastructure;

/// <summary>
/// A valid PNG of any size whose pixels are all black: it compresses about a thousand to one, so a small file can
/// declare a huge image (a decompression bomb). Written chunk by chunk here, because an encoder would first need the
/// whole image in memory.
/// </summary>
public static class BlankPng
{
    /// <summary>8-bit RGB: 3 bytes a pixel decoded as it is stored.</summary>
    public static byte[] Rgb(int width, int height) => Create(width, height, bitDepth: 8, colorType: 2, bytesPerRow: checked(width * 3));

    /// <summary>1-bit grayscale: the smallest file for the most pixels.</summary>
    public static byte[] OneBitGray(int width, int height) => Create(width, height, bitDepth: 1, colorType: 0, bytesPerRow: (width + 7) / 8);

    private static byte[] Create(int width, int height, byte bitDepth, byte colorType, int bytesPerRow)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colorType;
        WriteChunk(png, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Each row: filter type 0 and its bytes, all zero.
            var row = new byte[1 + bytesPerRow];
            for (var y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
        png.Write(word);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
