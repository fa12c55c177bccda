using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Messenger.Dapr.Tests.Infrastructure;

internal static class TestImages
{
    /// <summary>A real PNG of the given size: a gradient, so that it is not trivially compressible to nothing.</summary>
    public static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgba32((byte)(x * 255 / width), (byte)(y * 255 / height), 128);
            }
        }

        using var output = new MemoryStream();
        image.Save(output, new PngEncoder());
        return output.ToArray();
    }

    /// <summary>The width and height of an encoded image.</summary>
    public static (int Width, int Height) SizeOf(byte[] encoded)
    {
        var info = Image.Identify(encoded) ?? throw new InvalidOperationException("Not an image.");
        return (info.Width, info.Height);
    }
}
