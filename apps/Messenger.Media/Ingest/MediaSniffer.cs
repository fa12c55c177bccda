using System.Text;

namespace Messenger.Media.Ingest;

/// <summary>
/// Tells the type of media from its first bytes, never from what a client claims. Only the allow-list passes:
/// JPEG, PNG, GIF, WebP, MP4 (ISO base media with an MP4 brand), WebM (EBML with DocType "webm") and QuickTime.
/// </summary>
public static class MediaSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> looks at.</summary>
    public const int HeaderLength = 64;

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] EbmlMagic = [0x1A, 0x45, 0xDF, 0xA3];
    private const uint EbmlDocTypeId = 0x4282;

    /// <summary>Major brands of ISO base media files that are MP4 video (not HEIF images, 3GPP or audio-only M4A).</summary>
    private static readonly HashSet<string> Mp4Brands = new(StringComparer.Ordinal)
    {
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "mp71", "avc1", "av01",
        "M4V ", "M4VH", "M4VP", "dash", "mmp4", "MSNV", "f4v ", "XAVC",
    };

    /// <summary>Atoms a QuickTime movie without an <c>ftyp</c> atom may begin with.</summary>
    private static readonly HashSet<string> QuickTimeAtoms = new(StringComparer.Ordinal) { "moov", "mdat", "wide", "free", "skip", "pnot" };

    public static MediaType? Sniff(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return MediaType.Jpeg;
        }

        if (header.StartsWith(PngSignature))
        {
            return MediaType.Png;
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return MediaType.Gif;
        }

        if (header.Length >= 16 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8) && header[12..15].SequenceEqual("VP8"u8))
        {
            return MediaType.Webp;
        }

        if (header.Length >= 12)
        {
            var box = Encoding.ASCII.GetString(header[4..8]);
            if (box == "ftyp")
            {
                var brand = Encoding.ASCII.GetString(header[8..12]);
                return brand == "qt  " ? MediaType.QuickTime : Mp4Brands.Contains(brand) ? MediaType.Mp4 : null;
            }

            if (QuickTimeAtoms.Contains(box))
            {
                return MediaType.QuickTime;
            }
        }

        return header.StartsWith(EbmlMagic) && EbmlDocType(header) == "webm" ? MediaType.Webm : null;
    }

    /// <summary>The DocType element of the EBML header, or null if the header (as far as it is present) has none.</summary>
    private static string? EbmlDocType(ReadOnlySpan<byte> data)
    {
        var position = EbmlMagic.Length;
        if (!TryReadVint(data, ref position, keepMarker: false, out var headerSize))
        {
            return null;
        }

        var end = (int)Math.Min((ulong)data.Length, (ulong)position + headerSize);
        while (position < end)
        {
            if (!TryReadVint(data, ref position, keepMarker: true, out var id) || !TryReadVint(data, ref position, keepMarker: false, out var size))
            {
                return null;
            }

            if (size > (ulong)(end - position))
            {
                return null;
            }

            if (id == EbmlDocTypeId)
            {
                return Encoding.ASCII.GetString(data.Slice(position, (int)size)).TrimEnd('\0');
            }

            position += (int)size;
        }

        return null;
    }

    /// <summary>An EBML variable-length integer (1 to 8 bytes); element ids keep their length marker bit.</summary>
    private static bool TryReadVint(ReadOnlySpan<byte> data, ref int position, bool keepMarker, out ulong value)
    {
        value = 0;
        if (position >= data.Length || data[position] == 0)
        {
            return false;
        }

        var first = data[position];
        var length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 23;
        if (position + length > data.Length)
        {
            return false;
        }

        value = keepMarker ? first : (ulong)(first & (0xFF >> length));
        for (var i = 1; i < length; i++)
        {
            value = (value << 8) | data[position + i];
        }

        position += length;
        return true;
    }
}
