using System.Buffers.Binary;
using System.Text;
using Messenger.Media.Processing.Video;
using Messenger.Media.Tests.Infrastructure;

namespace Messenger.Media.Tests;

/// <summary>
/// Hand-built video containers: ISO base media boxes (MP4, QuickTime) and EBML elements (WebM) with just the
/// structure the dimension readers look at, and a way to measure them as the media processor does.
/// </summary>
internal static class VideoFiles
{
    public static readonly int[] Identity = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
    public static readonly int[] Rotated90 = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
    public static readonly int[] Rotated180 = [-0x10000, 0, 0, 0, -0x10000, 0, 0, 0, 0x40000000];
    public static readonly int[] Rotated270 = [0, -0x10000, 0, 0x10000, 0, 0, 0, 0, 0x40000000];

    public const uint EbmlId = 0x1A45DFA3;
    public const uint SegmentId = 0x18538067;
    public const uint InfoId = 0x1549A966;
    public const uint TracksId = 0x1654AE6B;
    public const uint TrackEntryId = 0xAE;
    public const uint TrackNumberId = 0xD7;
    public const uint TrackTypeId = 0x83;
    public const uint VideoId = 0xE0;
    public const uint PixelWidthId = 0xB0;
    public const uint PixelHeightId = 0xBA;
    public const uint DisplayWidthId = 0x54B0;
    public const uint DisplayHeightId = 0x54BA;
    public const uint DisplayUnitId = 0x54B2;
    public const uint ClusterId = 0x1F43B675;
    public const uint TimecodeId = 0xE7;

    /// <summary>Measures <paramref name="bytes"/> as a stored video of <paramref name="contentType"/>.</summary>
    public static Task<(int Width, int Height)?> MeasureAsync(byte[] bytes, string contentType) =>
        VideoGeometry.MeasureAsync(contentType, bytes.Length, (offset, buffer, _) => Task.FromResult(Copy(bytes, offset, buffer)), default);

    public static int Copy(byte[] bytes, long offset, Memory<byte> buffer)
    {
        if (offset >= bytes.Length)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, bytes.Length - offset);
        bytes.AsSpan((int)offset, count).CopyTo(buffer.Span);
        return count;
    }

    // ---- ISO base media (MP4, QuickTime) ----

    public static byte[] Box(string type, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        return [.. BigEndian32((uint)(8 + body.Length)), .. Encoding.ASCII.GetBytes(type), .. body];
    }

    /// <summary>A box whose size is in the 64-bit field (size 1).</summary>
    public static byte[] LargeBox(string type, byte[] body) =>
        [.. BigEndian32(1), .. Encoding.ASCII.GetBytes(type), .. BigEndian64((ulong)(16 + body.Length)), .. body];

    /// <summary>A box with size 0: it runs to the end of the file.</summary>
    public static byte[] ToEndBox(string type, params byte[][] children) =>
        [.. BigEndian32(0), .. Encoding.ASCII.GetBytes(type), .. children.SelectMany(c => c)];

    public static byte[] Ftyp(string brand) => Box("ftyp", Encoding.ASCII.GetBytes(brand), BigEndian32(0), "isommp41"u8.ToArray());

    /// <summary>A track header of the given version, matrix and 16.16 width and height.</summary>
    public static byte[] Tkhd(double width, double height, int[]? matrix = null, byte version = 0)
    {
        var times = new byte[version == 1 ? 32 : 20];
        times[version == 1 ? 19 : 11] = 1; // track_ID
        byte[] body =
        [
            version, 0, 0, 3, .. times, .. new byte[16],
            .. (matrix ?? Identity).SelectMany(v => BigEndian32((uint)v)),
            .. BigEndian32((uint)Math.Round(width * 65536)), .. BigEndian32((uint)Math.Round(height * 65536)),
        ];
        return Box("tkhd", body);
    }

    /// <summary>A handler box; QuickTime's names the component type 'mhlr' where MP4 has zeros.</summary>
    public static byte[] Hdlr(string handler, bool quickTime = false) =>
        Box("hdlr", [0, 0, 0, 0], quickTime ? "mhlr"u8.ToArray() : new byte[4], Encoding.ASCII.GetBytes(handler), new byte[12], "Handler\0"u8.ToArray());

    public static byte[] Trak(string handler, byte[] tkhd, bool quickTime = false) =>
        Box("trak", tkhd, Box("mdia", Box("mdhd", new byte[24]), Hdlr(handler, quickTime), Box("minf", Box("stbl", new byte[64]))));

    public static byte[] VideoTrak(double width, double height, int[]? matrix = null, byte version = 0, bool quickTime = false) =>
        Trak("vide", Tkhd(width, height, matrix, version), quickTime);

    public static byte[] AudioTrak() => Trak("soun", Tkhd(0, 0));

    public static byte[] Moov(params byte[][] traks) => Box("moov", [Box("mvhd", new byte[100]), .. traks]);

    public static byte[] Mdat(int length) => Box("mdat", SampleMedia.Noise(length, seed: length));

    /// <summary>The moov before the media data, as a streaming-ready ("faststart") file has it.</summary>
    public static byte[] FastStart(byte[] moov, string brand = "isom") => [.. Ftyp(brand), .. moov, .. Mdat(2000)];

    /// <summary>The moov after the media data, as a phone's recording has it.</summary>
    public static byte[] MoovAtEnd(byte[] moov, string brand = "isom") => [.. Ftyp(brand), .. Mdat(5000), .. moov];

    // ---- EBML (WebM) ----

    public static byte[] Element(uint id, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        return [.. Id(id), .. Size((ulong)body.Length), .. body];
    }

    /// <summary>A master element of unknown size (all size bits set).</summary>
    public static byte[] UnknownSizeElement(uint id, params byte[][] children) =>
        [.. Id(id), 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. children.SelectMany(c => c)];

    public static byte[] Uint(uint id, ulong value)
    {
        var bytes = BigEndian64(value).SkipWhile(b => b == 0).ToArray();
        return Element(id, bytes.Length == 0 ? [0] : bytes);
    }

    public static byte[] WebmVideoEntry(ulong width, ulong height, ulong? displayWidth = null, ulong? displayHeight = null, ulong? displayUnit = null) =>
        Element(TrackEntryId, Uint(TrackNumberId, 1), Uint(TrackTypeId, 1), Element(VideoId,
        [
            Uint(PixelWidthId, width), Uint(PixelHeightId, height),
            .. displayWidth is { } w ? [Uint(DisplayWidthId, w)] : Array.Empty<byte[]>(),
            .. displayHeight is { } h ? [Uint(DisplayHeightId, h)] : Array.Empty<byte[]>(),
            .. displayUnit is { } u ? [Uint(DisplayUnitId, u)] : Array.Empty<byte[]>(),
        ]));

    public static byte[] WebmAudioEntry() => Element(TrackEntryId, Uint(TrackNumberId, 2), Uint(TrackTypeId, 2), Element(0xE1, Uint(0xB5, 0x40E58880)));

    public static byte[] Cluster() => Element(ClusterId, Uint(TimecodeId, 0), Element(0xA3, SampleMedia.Noise(3000, seed: 5)));

    public static byte[] Webm(params byte[][] segmentChildren) => [.. EbmlHeader(), .. Element(SegmentId, segmentChildren)];

    public static byte[] Info() => Element(InfoId, Uint(0x2AD7B1, 1_000_000));

    public static byte[] EbmlHeader() =>
        Element(EbmlId, Uint(0x4286, 1), Uint(0x42F7, 1), Uint(0x42F2, 4), Uint(0x42F3, 8), Element(0x4282, "webm"u8.ToArray()), Uint(0x4287, 4), Uint(0x4285, 2));

    private static byte[] Id(uint id) => BigEndian32(id).SkipWhile(b => b == 0).ToArray();

    /// <summary>An EBML size: one or two bytes when it fits, else the 8-byte form that muxers patching sizes in afterwards write.</summary>
    private static byte[] Size(ulong size) => size switch
    {
        < 0x7F => [(byte)(0x80 | size)],
        < 0x3FFF => [(byte)(0x40 | (size >> 8)), (byte)size],
        _ => [0x01, .. BigEndian64(size)[1..]],
    };

    private static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
