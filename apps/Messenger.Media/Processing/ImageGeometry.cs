using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Messenger.Media.Processing;

/// <summary>An image's dimensions as it is shown (EXIF orientation applied), read from its header alone.</summary>
public static class ImageGeometry
{
    /// <summary>The dimensions if the bytes begin with a readable image header; null if they do not (yet).</summary>
    public static (int Width, int Height)? TryIdentify(ReadOnlyMemory<byte> header)
    {
        if (header.IsEmpty)
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(header.ToArray(), writable: false);
            var info = Image.Identify(stream);
            return info is null || info.Width <= 0 || info.Height <= 0 ? null : Oriented(info.Width, info.Height, info.Metadata);
        }
        catch (Exception e) when (e is ImageFormatException or EndOfStreamException or IndexOutOfRangeException or ArgumentException or InvalidOperationException)
        {
            // A header cut short or malformed: the thumbnail job reads the whole image later.
            return null;
        }
    }

    /// <summary>Orientations 5 to 8 turn the image by a quarter: width and height swap.</summary>
    public static (int Width, int Height) Oriented(int width, int height, ImageMetadata metadata)
    {
        var orientation = metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? 1;
        return orientation is >= 5 and <= 8 ? (height, width) : (width, height);
    }

    /// <summary>The size that fits within <paramref name="max"/> on its longer side, keeping the aspect ratio; never larger than the image.</summary>
    public static (int Width, int Height) Fit(int width, int height, int max)
    {
        if (width <= max && height <= max)
        {
            return (width, height);
        }

        var scale = (double)max / Math.Max(width, height);
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
