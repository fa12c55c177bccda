using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Media.Processing;

namespace Messenger.Media.Ingest;

/// <summary>An upload whose first bytes were sniffed: read <see cref="Stream"/> to the end, then take its <see cref="Content"/>.</summary>
internal sealed class InspectedUpload(MediaType type, InspectingStream stream) : IDisposable
{
    /// <summary>Bytes kept from the start of the content: enough to read the dimensions from any usual image header.</summary>
    public const int CaptureLength = 256 * 1024;

    public MediaType Type { get; } = type;

    public InspectingStream Stream { get; } = stream;

    /// <summary>
    /// Sniffs the first bytes of <paramref name="source"/> against the allow-list and checks
    /// <paramref name="declaredLength"/> against the type's limit before anything is stored.
    /// </summary>
    public static async Task<InspectedUpload> OpenAsync(Stream source, long? declaredLength, MediaOptions options, CancellationToken cancellationToken)
    {
        var header = new byte[MediaSniffer.HeaderLength];
        var read = await source.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            throw ChatException.BadRequest("The upload is empty.");
        }

        var type = MediaSniffer.Sniff(header.AsSpan(0, read)) ?? throw UnsupportedMediaException.NotAllowed();
        var limit = options.LimitFor(type.Kind);
        if (declaredLength > limit)
        {
            throw ChatException.TooLarge($"The file is larger than the limit of {limit} bytes for its type.");
        }

        return new InspectedUpload(type, new InspectingStream(header.AsMemory(0, read), source, limit, CaptureLength));
    }

    /// <summary>What the whole content turned out to be; call after the stream was read to its end.</summary>
    public MediaContent Content()
    {
        var dimensions = Type.Kind == MediaKind.Image ? ImageGeometry.TryIdentify(Stream.Captured) : null;
        return new MediaContent(Type.ContentType, Stream.BytesRead, Stream.Sha256(), dimensions?.Width, dimensions?.Height, ThumbnailState.Pending);
    }

    public void Dispose() => Stream.Dispose();
}
