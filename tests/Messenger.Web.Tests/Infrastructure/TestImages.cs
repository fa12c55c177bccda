using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Messenger.Web.Tests.Infrastructure;

public static class TestImages
{
    /// <summary>A real PNG photo stand-in: a gradient with a bright square, so that a broken render is easy to see.</summary>
    public static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var inSquare = x > width / 3 && x < width * 2 / 3 && y > height / 3 && y < height * 2 / 3;
                    row[x] = inSquare
                        ? new Rgba32(255, 196, 0)
                        : new Rgba32((byte)(40 + 120 * x / width), (byte)(90 + 100 * y / height), 200);
                }
            }
        });
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
