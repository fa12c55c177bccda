using SixLabors.ImageSharp;
using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Processing;

namespace Messenger.Media.Processing;

/// <summary>
/// Makes a thumbnail no larger than the configured size on its longer side: the first frame, turned upright by
/// its EXIF orientation, without metadata (no location leaks); JPEG for JPEG sources, WebP (which keeps
/// transparency) for the others.
/// </summary>
public static class ThumbnailMaker
{
    private const int Quality = 80;

    /// <summary>Decoders as the thumbnails need them: of an animated GIF only the first frame is decoded.</summary>
    private static readonly Configuration Decoding = CreateDecoding();

    /// <summary>
    /// The thumbnail of the image in <paramref name="source"/>. Throws <see cref="ImageFormatException"/> when the
    /// image cannot be decoded and <see cref="ImageTooLargeException"/> when decoding it would mean more than
    /// <paramref name="maxPixels"/> pixels (all frames of an animated WebP counted): the dimensions are read from the
    /// header first, so a small file that claims a huge image is never decoded.
    /// </summary>
    public static async Task<Thumbnail> MakeAsync(MemoryStream source, string contentType, int maxSize, long maxPixels, CancellationToken cancellationToken)
    {
        var start = source.Position;
        var info = await Image.IdentifyAsync(Decoding, source, cancellationToken)
            ?? throw new UnknownImageFormatException("The content is not an image that can be decoded.");
        var frames = contentType == MediaType.Webp.ContentType ? Math.Max(1, WebpFrameCount(Contents(source))) : 1;
        if ((long)info.Width * info.Height * frames > maxPixels)
        {
            throw new ImageTooLargeException(info.Width, info.Height);
        }

        source.Position = start;
        using var image = await Image.LoadAsync(Decoding, source, cancellationToken);
        image.Mutate(x => x.AutoOrient());
        var (imageWidth, imageHeight) = (image.Width, image.Height);
        using var first = image.Frames.Count > 1 ? image.Frames.CloneFrame(0) : image.Clone(_ => { });
        var (width, height) = ImageGeometry.Fit(first.Width, first.Height, maxSize);
        if (width != first.Width || height != first.Height)
        {
            first.Mutate(x => x.Resize(width, height));
        }

        first.Metadata.ExifProfile = null;
        first.Metadata.IptcProfile = null;
        first.Metadata.XmpProfile = null;
        first.Metadata.IccProfile = null;
        var (encoder, type) = Encoder(contentType);
        using var output = new MemoryStream();
        await first.SaveAsync(output, encoder, cancellationToken);
        return new Thumbnail(output.ToArray(), type, imageWidth, imageHeight);
    }

    /// <summary>How many animation frames (ANMF chunks) a WebP file holds; 0 for a still image.</summary>
    internal static int WebpFrameCount(ReadOnlySpan<byte> riff)
    {
        const int HeaderLength = 12;
        var frames = 0;
        var position = HeaderLength;
        while (position + 8 <= riff.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(riff.Slice(position + 4, 4));
            if (riff.Slice(position, 4).SequenceEqual("ANMF"u8))
            {
                frames++;
            }

            var next = position + 8L + size + (size & 1);
            if (next > riff.Length)
            {
                break;
            }

            position = (int)next;
        }

        return frames;
    }

    private static ReadOnlySpan<byte> Contents(MemoryStream stream) =>
        stream.TryGetBuffer(out var buffer) ? buffer.AsSpan(0, (int)stream.Length) : stream.ToArray();

    private static Configuration CreateDecoding()
    {
        var configuration = Configuration.Default.Clone();
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }

    private static (IImageEncoder Encoder, string ContentType) Encoder(string sourceType) =>
        sourceType == MediaType.Jpeg.ContentType
            ? (new JpegEncoder { Quality = Quality }, MediaType.Jpeg.ContentType)
            : (new WebpEncoder { Quality = Quality, FileFormat = WebpFileFormatType.Lossy }, MediaType.Webp.ContentType);
}
