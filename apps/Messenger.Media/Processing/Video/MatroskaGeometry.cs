using System.Numerics;

namespace Messenger.Media.Processing.Video;

/// <summary>
/// The display size of a WebM (Matroska) file: <c>Segment/Tracks/TrackEntry</c> of the first video track
/// (TrackType 1), from its <c>Video</c> element: DisplayWidth/DisplayHeight when they are in pixels, else the
/// PixelWidth/PixelHeight (stretched to the display aspect ratio when DisplayUnit says the display size is one). The
/// Tracks come before the first Cluster in every muxer's output; a Cluster of unknown size ends the search.
/// </summary>
internal static class MatroskaGeometry
{
    private const uint EbmlId = 0x1A45DFA3;
    private const uint SegmentId = 0x18538067;
    private const uint ClusterId = 0x1F43B675;
    private const uint TracksId = 0x1654AE6B;
    private const uint TrackEntryId = 0xAE;
    private const uint TrackTypeId = 0x83;
    private const uint VideoId = 0xE0;
    private const uint PixelWidthId = 0xB0;
    private const uint PixelHeightId = 0xBA;
    private const uint DisplayWidthId = 0x54B0;
    private const uint DisplayHeightId = 0x54BA;
    private const uint DisplayUnitId = 0x54B2;
    private const uint VoidId = 0xEC;
    private const uint Crc32Id = 0xBF;

    private const ulong VideoTrackType = 1;
    private const ulong DisplayUnitPixels = 0;
    private const ulong DisplayUnitAspectRatio = 3;

    private const int MaxIdLength = 4;
    private const int MaxSizeLength = 8;

    /// <summary>Elements looked at per level before giving up.</summary>
    private const int MaxElementsPerLevel = 1024;

    public static async Task<(int Width, int Height)?> MeasureAsync(RangeReader reader, CancellationToken cancellationToken)
    {
        var header = await ElementAsync(reader, 0, reader.Length, cancellationToken);
        if (header is not { Id: EbmlId, UnknownSize: false })
        {
            return null;
        }

        var position = header.Value.End;
        for (var count = 0; position < reader.Length && count < MaxElementsPerLevel; count++)
        {
            var element = await ElementAsync(reader, position, reader.Length, cancellationToken);
            if (element is null)
            {
                return null;
            }

            if (element.Value.Id == SegmentId)
            {
                return await SegmentAsync(reader, element.Value.Start, element.Value.End, cancellationToken);
            }

            if (element.Value.UnknownSize)
            {
                return null;
            }

            position = element.Value.End;
        }

        return null;
    }

    private static async Task<(int Width, int Height)?> SegmentAsync(RangeReader reader, long start, long end, CancellationToken cancellationToken)
    {
        var position = start;
        for (var count = 0; position < end && count < MaxElementsPerLevel; count++)
        {
            var element = await ElementAsync(reader, position, end, cancellationToken);
            if (element is null)
            {
                return null;
            }

            if (element.Value.Id == TracksId)
            {
                return await TracksAsync(reader, element.Value, cancellationToken);
            }

            if (element.Value.UnknownSize)
            {
                // Only a Cluster may be of unknown size here, and one cannot be skipped without reading it.
                return null;
            }

            position = element.Value.End;
        }

        return null;
    }

    private static async Task<(int Width, int Height)?> TracksAsync(RangeReader reader, Element tracks, CancellationToken cancellationToken)
    {
        var position = tracks.Start;
        for (var count = 0; position < tracks.End && count < MaxElementsPerLevel; count++)
        {
            var element = await ElementAsync(reader, position, tracks.End, cancellationToken);
            if (element is null)
            {
                return null;
            }

            var id = element.Value.Id;
            if (tracks.UnknownSize && id is not (TrackEntryId or VoidId or Crc32Id))
            {
                // A Tracks of unknown size ends where an element that cannot be in it begins.
                return null;
            }

            if (element.Value.UnknownSize)
            {
                return null;
            }

            if (id == TrackEntryId)
            {
                var entry = await TrackEntryAsync(reader, element.Value, cancellationToken);
                if (entry is { Invalid: true })
                {
                    return null;
                }

                if (entry is { Size: { } size })
                {
                    return size;
                }
            }

            position = element.Value.End;
        }

        return null;
    }

    /// <summary>The entry's shown size if it is a video track that has one; Invalid when it is malformed or absurd.</summary>
    private static async Task<(bool Invalid, (int Width, int Height)? Size)?> TrackEntryAsync(
        RangeReader reader, Element entry, CancellationToken cancellationToken)
    {
        ulong? type = null;
        Element? video = null;
        var position = entry.Start;
        for (var count = 0; position < entry.End && count < MaxElementsPerLevel; count++)
        {
            var element = await ElementAsync(reader, position, entry.End, cancellationToken);
            if (element is not { UnknownSize: false } known)
            {
                return (true, null);
            }

            if (known.Id == TrackTypeId)
            {
                type = await UnsignedAsync(reader, known, cancellationToken);
                if (type is null)
                {
                    return (true, null);
                }
            }
            else if (known.Id == VideoId)
            {
                video = known;
            }

            position = known.End;
        }

        if (type != VideoTrackType || video is null)
        {
            return null;
        }

        return await VideoAsync(reader, video.Value, cancellationToken);
    }

    private static async Task<(bool Invalid, (int Width, int Height)? Size)?> VideoAsync(RangeReader reader, Element video, CancellationToken cancellationToken)
    {
        ulong pixelWidth = 0, pixelHeight = 0, displayWidth = 0, displayHeight = 0, displayUnit = DisplayUnitPixels;
        var position = video.Start;
        for (var count = 0; position < video.End && count < MaxElementsPerLevel; count++)
        {
            var element = await ElementAsync(reader, position, video.End, cancellationToken);
            if (element is not { UnknownSize: false } known)
            {
                return (true, null);
            }

            if (known.Id is PixelWidthId or PixelHeightId or DisplayWidthId or DisplayHeightId or DisplayUnitId)
            {
                if (await UnsignedAsync(reader, known, cancellationToken) is not { } value)
                {
                    return (true, null);
                }

                switch (known.Id)
                {
                    case PixelWidthId: pixelWidth = value; break;
                    case PixelHeightId: pixelHeight = value; break;
                    case DisplayWidthId: displayWidth = value; break;
                    case DisplayHeightId: displayHeight = value; break;
                    default: displayUnit = value; break;
                }
            }

            position = known.End;
        }

        if (pixelWidth == 0 || pixelHeight == 0)
        {
            return null;
        }

        if (pixelWidth > VideoGeometry.MaxDimension || pixelHeight > VideoGeometry.MaxDimension)
        {
            return (true, null);
        }

        var (width, height) = (pixelWidth, pixelHeight);
        if (displayWidth > 0 && displayHeight > 0)
        {
            if (displayUnit == DisplayUnitPixels)
            {
                (width, height) = (displayWidth, displayHeight);
            }
            else if (displayUnit == DisplayUnitAspectRatio && displayWidth <= VideoGeometry.MaxDimension && displayHeight <= VideoGeometry.MaxDimension)
            {
                width = Math.Max(1, (ulong)Math.Round((double)pixelHeight * displayWidth / displayHeight));
            }
        }

        return width > VideoGeometry.MaxDimension || height > VideoGeometry.MaxDimension
            ? (true, null)
            : (false, ((int)width, (int)height));
    }

    /// <summary>An unsigned integer element (at most 8 bytes, big-endian; empty is 0); null when it is longer or cut short.</summary>
    private static async Task<ulong?> UnsignedAsync(RangeReader reader, Element element, CancellationToken cancellationToken)
    {
        var length = element.End - element.Start;
        if (length > sizeof(ulong))
        {
            return null;
        }

        var bytes = await reader.ReadAsync(element.Start, (int)length, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>
    /// The element at <paramref name="position"/>: its id (with the length marker), where its data starts and ends.
    /// An element of unknown size ends with <paramref name="parentEnd"/>. Null when the header is malformed or the
    /// element overruns its parent.
    /// </summary>
    private static async Task<Element?> ElementAsync(RangeReader reader, long position, long parentEnd, CancellationToken cancellationToken)
    {
        var id = await VintAsync(reader, position, MaxIdLength, cancellationToken);
        if (id is null)
        {
            return null;
        }

        var size = await VintAsync(reader, position + id.Value.Length, MaxSizeLength, cancellationToken);
        if (size is null)
        {
            return null;
        }

        var start = position + id.Value.Length + size.Value.Length;
        var idValue = id.Value.Raw;
        if (size.Value.AllOnes)
        {
            return new Element((uint)idValue, start, parentEnd, true);
        }

        var data = size.Value.Value;
        return start > parentEnd || data > (ulong)(parentEnd - start) ? null : new Element((uint)idValue, start, start + (long)data, false);
    }

    /// <summary>An EBML variable-length integer of at most <paramref name="maxLength"/> bytes: with its marker (Raw) and without (Value).</summary>
    private static async Task<Vint?> VintAsync(RangeReader reader, long position, int maxLength, CancellationToken cancellationToken)
    {
        var first = await reader.ReadAsync(position, 1, cancellationToken);
        if (first is null || first[0] == 0)
        {
            return null;
        }

        var length = BitOperations.LeadingZeroCount((uint)first[0]) - 23;
        if (length > maxLength)
        {
            return null;
        }

        var bytes = await reader.ReadAsync(position, length, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        ulong raw = 0;
        foreach (var b in bytes)
        {
            raw = (raw << 8) | b;
        }

        var valueBits = 7 * length;
        var mask = (1UL << valueBits) - 1;
        var value = raw & mask;
        return new Vint(raw, value, length, value == mask);
    }

    private readonly record struct Vint(ulong Raw, ulong Value, int Length, bool AllOnes);

    private readonly record struct Element(uint Id, long Start, long End, bool UnknownSize);
}
