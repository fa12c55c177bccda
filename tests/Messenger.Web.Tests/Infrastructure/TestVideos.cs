using System.Buffers.Binary;
using System.Text;

namespace Messenger.Web.Tests.Infrastructure;

/// <summary>
/// A hand-built MP4: an <c>ftyp</c>, a <c>moov</c> with one video track whose <c>tkhd</c> names the display size, and
/// some media data. Enough for the server to take it as an MP4 and read its dimensions; a browser cannot play it.
/// </summary>
public static class TestVideos
{
    /// <summary>The identity transform of a track header (16.16 and 2.30 fixed point).</summary>
    private static readonly uint[] Identity = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

    public static byte[] Mp4(int width, int height, int mediaDataLength = 4096)
    {
        var track = Box("trak",
            TrackHeader(width, height),
            Box("mdia", Box("mdhd", new byte[24]), Handler("vide"), Box("minf", Box("stbl", new byte[64]))));
        var movie = Box("moov", Box("mvhd", new byte[100]), track);
        var data = new byte[mediaDataLength];
        new Random(mediaDataLength).NextBytes(data);
        return [.. Box("ftyp", "isom"u8.ToArray(), U32(0x200), "isommp41"u8.ToArray()), .. movie, .. Box("mdat", data)];
    }

    /// <summary>tkhd version 0: version and flags, times and ids (20 bytes), reserved and such (16), matrix, width, height.</summary>
    private static byte[] TrackHeader(int width, int height)
    {
        var times = new byte[20];
        times[11] = 1; // track_ID
        return Box("tkhd",
            [0, 0, 0, 3], times, new byte[16], [.. Identity.SelectMany(U32)], U32((uint)width << 16), U32((uint)height << 16));
    }

    private static byte[] Handler(string type) =>
        Box("hdlr", new byte[8], Encoding.ASCII.GetBytes(type), new byte[12], "VideoHandler\0"u8.ToArray());

    private static byte[] Box(string type, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        return [.. U32((uint)(8 + body.Length)), .. Encoding.ASCII.GetBytes(type), .. body];
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
