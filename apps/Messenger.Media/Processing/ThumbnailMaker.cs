using SixLabors.ImageSharp;
using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Messenger.Media.Processing;

/// <summary>
/// Makes a thumbnail no larger than the configured size on its longer side: the first frame, turned upright by
/// its EXIF orientation, without metadata (no location leaks); JPEG for JPEG sources, WebP (which keeps
/// transparency) for the others.
/// </summary>
/// <remarks>
/// Decoding is bounded: the pixel count is read from the header and checked before anything is decoded; pixels are
/// decoded into 3 (JPEG) or 4 bytes each, never the 8 of a 16-bit PNG; no single buffer may be larger than the
/// image at the limit (<see cref="MemoryAllocatorOptions.AllocationLimitMegabytes"/>); the image is shrunk in place
/// (no full-size copy) and turned upright after shrinking; and one image is decoded at a time in this process.
/// ImageSharp 2 cannot decode at a reduced size (<c>DecoderOptions.TargetSize</c> came with ImageSharp 3, under a
/// paid licence), so the full-size pixels of one image at the limit are the peak.
/// </remarks>
public static class ThumbnailMaker
{
    private const int Quality = 80;
    private const int MaxBytesPerPixel = 4;

    /// <summary>Decoders as the thumbnails need them: of an animated GIF only the first frame is decoded.</summary>
    private static readonly Configuration Decoding = CreateDecoding();

    /// <summary>What the allocator may keep for the next image; the rest of a decode's memory is returned at once.</summary>
    private const int PoolMegabytes = 16;

    /// <summary>One decode at a time: the memory of thumbnailing is that of one image, whatever arrives at once.</summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The bounded decoders for the last limit asked for; set and read only inside <see cref="OneAtATime"/>.</summary>
    private static (long MaxPixels, Configuration Configuration)? bounded;

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
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            var configuration = Bounded(maxPixels);
            return contentType == MediaType.Jpeg.ContentType
                ? await ShrinkAsync(await Image.LoadAsync<Rgb24>(configuration, source, cancellationToken), contentType, maxSize, cancellationToken)
                : await ShrinkAsync(await Image.LoadAsync<Rgba32>(configuration, source, cancellationToken), contentType, maxSize, cancellationToken);
        }
        catch (InvalidMemoryOperationException e)
        {
            // A decoder that wanted a buffer beyond the limit (the header understated the image): as too large.
            throw new ImageTooLargeException(info.Width, info.Height, e);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static async Task<Thumbnail> ShrinkAsync<TPixel>(Image<TPixel> decoded, string contentType, int maxSize, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = decoded;
        while (image.Frames.Count > 1)
        {
            image.Frames.RemoveFrame(image.Frames.Count - 1);
        }

        // Shrunk first, turned upright after: turning the full-size image would copy it. A quarter turn swaps the
        // sides, which leaves the longer side, and so the fit, the same.
        var (imageWidth, imageHeight) = ImageGeometry.Oriented(image.Width, image.Height, image.Metadata);
        var (width, height) = ImageGeometry.Fit(image.Width, image.Height, maxSize);
        image.Mutate(x =>
        {
            if (width != image.Width || height != image.Height)
            {
                x.Resize(width, height);
            }

            x.AutoOrient();
        });
        image.Metadata.ExifProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.XmpProfile = null;
        image.Metadata.IccProfile = null;
        var (encoder, type) = Encoder(contentType);
        using var output = new MemoryStream();
        await image.SaveAsync(output, encoder, cancellationToken);
        return new Thumbnail(output.ToArray(), type, imageWidth, imageHeight);
    }

    /// <summary>
    /// The decoders over an allocator that refuses any buffer larger than an image of <paramref name="maxPixels"/>
    /// and keeps little in its pool between images; made once per limit (it is the same unless reconfigured).
    /// </summary>
    private static Configuration Bounded(long maxPixels)
    {
        if (bounded is { } made && made.MaxPixels == maxPixels)
        {
            return made.Configuration;
        }

        var configuration = Decoding.Clone();
        var limit = (int)Math.Min(int.MaxValue, Math.Max(1, ((maxPixels * MaxBytesPerPixel) + (1 << 20) - 1) >> 20));
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = limit, MaximumPoolSizeMegabytes = PoolMegabytes });
        bounded = (maxPixels, configuration);
        return configuration;
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
