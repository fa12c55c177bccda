using System.Buffers.Binary;

namespace Messenger.Media.Processing.Video;

/// <summary>
/// The display size of an MP4 or QuickTime movie (ISO base media file format): the <c>tkhd</c> width and height of
/// the first video track (<c>moov/trak/mdia/hdlr</c> handler <c>vide</c>), turned by a quarter when the track matrix
/// says so. The top-level boxes are walked by their headers alone, so a <c>moov</c> after a large <c>mdat</c> costs
/// a few small reads.
/// </summary>
internal static class IsoMediaGeometry
{
    private const int HeaderLength = 8;
    private const int LargeHeaderLength = 16;
    private const int UuidLength = 16;

    /// <summary>Boxes looked at per level before giving up: real files have a handful.</summary>
    private const int MaxBoxesPerLevel = 1024;

    /// <summary>tkhd body: version and flags, then 20 (version 0) or 32 (version 1) bytes of times, ids and duration.</summary>
    private const int TkhdVersion0Times = 20;
    private const int TkhdVersion1Times = 32;

    /// <summary>After the times: reserved (8), layer, alternate group, volume, reserved (2 each), then the 3x3 matrix and width, height.</summary>
    private const int TkhdBeforeMatrix = 16;
    private const int MatrixLength = 36;
    private const int FullBoxHeader = 4;

    /// <summary>hdlr body: version and flags, pre_defined (QuickTime: component type), then the handler type.</summary>
    private const int HdlrHandlerOffset = 8;

    private static readonly uint Moov = Code("moov");
    private static readonly uint Trak = Code("trak");
    private static readonly uint Tkhd = Code("tkhd");
    private static readonly uint Mdia = Code("mdia");
    private static readonly uint Hdlr = Code("hdlr");
    private static readonly uint Vide = Code("vide");
    private static readonly uint Uuid = Code("uuid");

    public static async Task<(int Width, int Height)?> MeasureAsync(RangeReader reader, CancellationToken cancellationToken)
    {
        var moov = await FindAsync(reader, 0, reader.Length, Moov, cancellationToken);
        return moov is { } box ? await MovieAsync(reader, box.Start, box.End, cancellationToken) : null;
    }

    private static async Task<(int Width, int Height)?> MovieAsync(RangeReader reader, long start, long end, CancellationToken cancellationToken)
    {
        var position = start;
        for (var count = 0; position < end && count < MaxBoxesPerLevel; count++)
        {
            var box = await HeaderAsync(reader, position, end, cancellationToken);
            if (box is null)
            {
                return null;
            }

            if (box.Value.Type == Trak)
            {
                var track = await TrackAsync(reader, box.Value.Start, box.Value.End, cancellationToken);
                if (track is { Invalid: true })
                {
                    return null;
                }

                if (track is { Size: { } size })
                {
                    return size;
                }
            }

            position = box.Value.End;
        }

        return null;
    }

    /// <summary>The track's shown size if it is a video track with one; Invalid when its boxes are malformed.</summary>
    private static async Task<(bool Invalid, (int Width, int Height)? Size)?> TrackAsync(
        RangeReader reader, long start, long end, CancellationToken cancellationToken)
    {
        (int Width, int Height)? size = null;
        var invalidSize = false;
        var video = false;
        var position = start;
        for (var count = 0; position < end && count < MaxBoxesPerLevel; count++)
        {
            var box = await HeaderAsync(reader, position, end, cancellationToken);
            if (box is null)
            {
                return (true, null);
            }

            if (box.Value.Type == Tkhd)
            {
                var header = await TrackHeaderAsync(reader, box.Value.Start, box.Value.End, cancellationToken);
                if (header is null)
                {
                    return (true, null);
                }

                size = header.Value.Size;
                invalidSize = header.Value.Absurd;
            }
            else if (box.Value.Type == Mdia)
            {
                var handler = await FindAsync(reader, box.Value.Start, box.Value.End, Hdlr, cancellationToken);
                if (handler is { } hdlr)
                {
                    var type = await reader.ReadAsync(hdlr.Start + HdlrHandlerOffset, sizeof(uint), cancellationToken);
                    video = type is not null && hdlr.End - hdlr.Start >= HdlrHandlerOffset + sizeof(uint)
                        && BinaryPrimitives.ReadUInt32BigEndian(type) == Vide;
                }
            }

            position = box.Value.End;
        }

        if (!video)
        {
            return null;
        }

        return invalidSize ? (true, null) : size is null ? null : (false, size);
    }

    /// <summary>The tkhd's size as shown (null when zero); Absurd when it is larger than any real video; null when the box is cut short.</summary>
    private static async Task<(bool Absurd, (int Width, int Height)? Size)?> TrackHeaderAsync(
        RangeReader reader, long start, long end, CancellationToken cancellationToken)
    {
        var version = await reader.ReadAsync(start, 1, cancellationToken);
        if (version is null || version[0] > 1)
        {
            return null;
        }

        var matrixAt = FullBoxHeader + (version[0] == 1 ? TkhdVersion1Times : TkhdVersion0Times) + TkhdBeforeMatrix;
        const int Tail = MatrixLength + 2 * sizeof(uint);
        if (end - start < matrixAt + Tail)
        {
            return null;
        }

        var tail = await reader.ReadAsync(start + matrixAt, Tail, cancellationToken);
        if (tail is null)
        {
            return null;
        }

        var span = tail.AsSpan();
        var a = BinaryPrimitives.ReadInt32BigEndian(span);
        var b = BinaryPrimitives.ReadInt32BigEndian(span[4..]);
        var c = BinaryPrimitives.ReadInt32BigEndian(span[12..]);
        var d = BinaryPrimitives.ReadInt32BigEndian(span[16..]);
        var width = Fixed16(BinaryPrimitives.ReadUInt32BigEndian(span[MatrixLength..]));
        var height = Fixed16(BinaryPrimitives.ReadUInt32BigEndian(span[(MatrixLength + 4)..]));
        if (width == 0 || height == 0)
        {
            return (false, null);
        }

        if (width > VideoGeometry.MaxDimension || height > VideoGeometry.MaxDimension)
        {
            return (true, null);
        }

        // A quarter turn (90° or 270°, possibly mirrored) has zeros on the diagonal: the picture is shown on its side.
        var quarterTurn = a == 0 && d == 0 && b != 0 && c != 0;
        return (false, quarterTurn ? ((int)height, (int)width) : ((int)width, (int)height));
    }

    /// <summary>The first box of <paramref name="type"/> among the boxes between <paramref name="start"/> and <paramref name="end"/>.</summary>
    private static async Task<Box?> FindAsync(RangeReader reader, long start, long end, uint type, CancellationToken cancellationToken)
    {
        var position = start;
        for (var count = 0; position < end && count < MaxBoxesPerLevel; count++)
        {
            var box = await HeaderAsync(reader, position, end, cancellationToken);
            if (box is null || box.Value.Type == type)
            {
                return box;
            }

            position = box.Value.End;
        }

        return null;
    }

    /// <summary>The box at <paramref name="position"/> (its body from Start to End), or null if it is malformed or overruns its parent.</summary>
    private static async Task<Box?> HeaderAsync(RangeReader reader, long position, long parentEnd, CancellationToken cancellationToken)
    {
        var header = await reader.ReadAsync(position, HeaderLength, cancellationToken);
        if (header is null)
        {
            return null;
        }

        long size = BinaryPrimitives.ReadUInt32BigEndian(header);
        var type = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        var headerLength = HeaderLength;
        if (size == 1)
        {
            var large = await reader.ReadAsync(position + HeaderLength, sizeof(ulong), cancellationToken);
            if (large is null)
            {
                return null;
            }

            var value = BinaryPrimitives.ReadUInt64BigEndian(large);
            if (value > long.MaxValue)
            {
                return null;
            }

            size = (long)value;
            headerLength = LargeHeaderLength;
        }
        else if (size == 0)
        {
            // The box runs to the end of what holds it.
            size = parentEnd - position;
        }

        if (type == Uuid)
        {
            headerLength += UuidLength;
        }

        return size < headerLength || size > parentEnd - position
            ? null
            : new Box(type, position + headerLength, position + size);
    }

    /// <summary>A 16.16 fixed-point length, rounded to whole pixels.</summary>
    private static uint Fixed16(uint value) => (uint)(((ulong)value + 0x8000) >> 16);

    private static uint Code(string fourCc) => BinaryPrimitives.ReadUInt32BigEndian(System.Text.Encoding.ASCII.GetBytes(fourCc));

    private readonly record struct Box(uint Type, long Start, long End);
}
