using Messenger.Media.Processing;
using Messenger.Media.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace Messenger.Media.Tests;

public sealed class ThumbnailMakerTests
{
    [Fact]
    public async Task A_large_png_gets_a_webp_thumbnail_of_at_most_320_pixels_keeping_its_aspect()
    {
        using var source = new MemoryStream(SampleMedia.Png(1200, 800));

        var thumbnail = await ThumbnailMaker.MakeAsync(source, "image/png", 320, 60_000_000, CancellationToken.None);

        Assert.Equal((1200, 800), (thumbnail.ImageWidth, thumbnail.ImageHeight));
        Assert.Equal("image/webp", thumbnail.ContentType);
        var info = Image.Identify(thumbnail.Content, out var format);
        Assert.Equal("image/webp", format.DefaultMimeType);
        Assert.Equal((320, 213), (info.Width, info.Height));
    }

    [Fact]
    public async Task A_jpeg_turned_by_its_exif_orientation_is_measured_and_thumbnailed_upright_without_metadata()
    {
        // Stored 400x200, shown turned a quarter (orientation 6): 200x400.
        using var source = new MemoryStream(SampleMedia.Jpeg(400, 200, orientation: 6));

        var thumbnail = await ThumbnailMaker.MakeAsync(source, "image/jpeg", 320, 60_000_000, CancellationToken.None);

        Assert.Equal((200, 400), (thumbnail.ImageWidth, thumbnail.ImageHeight));
        Assert.Equal("image/jpeg", thumbnail.ContentType);
        var info = Image.Identify(thumbnail.Content);
        Assert.Equal((160, 320), (info.Width, info.Height));
        Assert.Null(info.Metadata.ExifProfile);
    }

    [Fact]
    public async Task A_small_image_is_not_enlarged()
    {
        using var source = new MemoryStream(SampleMedia.Gif(100, 50));

        var thumbnail = await ThumbnailMaker.MakeAsync(source, "image/gif", 320, 60_000_000, CancellationToken.None);

        var info = Image.Identify(thumbnail.Content);
        Assert.Equal((100, 50), (info.Width, info.Height));
    }

    [Fact]
    public async Task An_image_with_more_pixels_than_allowed_is_not_decoded()
    {
        using var source = new MemoryStream(SampleMedia.Png(1000, 1000));

        var error = await Assert.ThrowsAsync<ImageTooLargeException>(
            () => ThumbnailMaker.MakeAsync(source, "image/png", 320, 999_999, CancellationToken.None));
        Assert.Equal((1000, 1000), (error.Width, error.Height));
    }

    [Fact]
    public async Task Bytes_that_only_begin_like_an_image_fail_as_an_image_format_error()
    {
        var png = SampleMedia.Png(64, 64);
        using var source = new MemoryStream([.. png.AsSpan(0, 8), .. SampleMedia.Noise(4096, 5)]);

        await Assert.ThrowsAnyAsync<ImageFormatException>(() => ThumbnailMaker.MakeAsync(source, "image/png", 320, 60_000_000, CancellationToken.None));
    }

    [Fact]
    public async Task An_animated_gif_is_thumbnailed_from_its_first_frame()
    {
        using var source = new MemoryStream(SampleMedia.AnimatedGif(400, 100));

        var thumbnail = await ThumbnailMaker.MakeAsync(source, "image/gif", 320, 60_000_000, CancellationToken.None);

        using var image = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(thumbnail.Content);
        Assert.Equal((320, 80, 1), (image.Width, image.Height, image.Frames.Count));
        var pixel = image[160, 40];
        Assert.True(pixel.R > 200 && pixel.B < 60, $"expected the red first frame, got {pixel}");
    }

    [Fact]
    public void The_frames_of_an_animated_webp_are_counted_from_its_chunks_without_decoding()
    {
        byte[] Chunk(string fourCc, int size) =>
            [.. System.Text.Encoding.ASCII.GetBytes(fourCc), .. BitConverter.GetBytes(size), .. new byte[size + (size & 1)]];
        byte[] riff = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. Chunk("VP8X", 10), .. Chunk("ANIM", 6), .. Chunk("ANMF", 21), .. Chunk("ANMF", 16), .. Chunk("ANMF", 3)];

        Assert.Equal(3, ThumbnailMaker.WebpFrameCount(riff));
        Assert.Equal(2, ThumbnailMaker.WebpFrameCount(riff.AsSpan(0, riff.Length - 5)));
        Assert.Equal(0, ThumbnailMaker.WebpFrameCount(SampleMedia.Webp(10, 10)));
    }

    [Fact]
    public void Dimensions_are_read_from_the_start_of_an_image_alone()
    {
        var jpeg = SampleMedia.Jpeg(640, 480, orientation: 8);

        Assert.Equal((480, 640), ImageGeometry.TryIdentify(jpeg.AsMemory(0, 2048)));
        Assert.Null(ImageGeometry.TryIdentify(SampleMedia.Mp4(2048)));
    }
}
