using System.Security.Cryptography;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Messenger.Media.Tests.Infrastructure;

/// <summary>Real images made on the spot, and files that begin as the allowed (and some disallowed) video formats do.</summary>
public static class SampleMedia
{
    /// <summary>The lower-case hex SHA-256 of <paramref name="bytes"/>, to compare contents.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static byte[] Jpeg(int width, int height, ushort? orientation = null) => Encode(width, height, new JpegEncoder { Quality = 90 }, orientation);

    public static byte[] Png(int width, int height) => Encode(width, height, new PngEncoder());

    public static byte[] Gif(int width, int height) => Encode(width, height, new GifEncoder());

    public static byte[] Webp(int width, int height) => Encode(width, height, new WebpEncoder());

    /// <summary>A two-frame animated GIF: red first, then blue.</summary>
    public static byte[] AnimatedGif(int width, int height)
    {
        using var image = new Image<Rgba32>(width, height, new Rgba32(255, 0, 0));
        using var second = new Image<Rgba32>(width, height, new Rgba32(0, 0, 255));
        image.Frames.AddFrame(second.Frames.RootFrame);
        using var output = new MemoryStream();
        image.Save(output, new GifEncoder());
        return output.ToArray();
    }

    /// <summary>An ISO base media file of <paramref name="size"/> bytes whose <c>ftyp</c> names <paramref name="brand"/>.</summary>
    public static byte[] IsoMedia(string brand, int size)
    {
        var bytes = Noise(size, seed: brand.GetHashCode(StringComparison.Ordinal));
        byte[] ftyp = [0, 0, 0, 0x18, .. "ftyp"u8, .. Encoding.ASCII.GetBytes(brand), 0, 0, 0, 0, .. "isommp41"u8];
        ftyp.CopyTo(bytes, 0);
        return bytes;
    }

    public static byte[] Mp4(int size) => IsoMedia("isom", size);

    public static byte[] QuickTime(int size) => IsoMedia("qt  ", size);

    /// <summary>A file of <paramref name="size"/> bytes that starts with an EBML header of the given DocType.</summary>
    public static byte[] Ebml(string docType, int size)
    {
        var bytes = Noise(size, seed: 7);
        var type = Encoding.ASCII.GetBytes(docType);
        byte[] body = [0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04, 0x42, 0xF3, 0x81, 0x08, 0x42, 0x82, (byte)(0x80 | type.Length), .. type];
        byte[] header = [0x1A, 0x45, 0xDF, 0xA3, (byte)(0x80 | body.Length), .. body];
        header.CopyTo(bytes, 0);
        return bytes;
    }

    public static byte[] Webm(int size) => Ebml("webm", size);

    public static byte[] Html() => "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray();

    /// <summary>Deterministic bytes that do not compress.</summary>
    public static byte[] Noise(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Encode(int width, int height, IImageEncoder encoder, ushort? orientation = null)
    {
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)((x ^ y) & 0xFF), 255);
                }
            }
        });
        if (orientation is { } value)
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, value);
        }

        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }
}
