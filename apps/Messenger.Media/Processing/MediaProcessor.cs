using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Media.Processing.Video;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;

namespace Messenger.Media.Processing;

/// <summary>
/// Handles <see cref="MediaUploaded"/>: makes the thumbnail of a ready image and records the image's dimensions, or
/// measures a ready video from its container's headers (<see cref="VideoGeometry"/>; videos get no thumbnail).
/// Handling the same event again is harmless (a pub/sub redelivery, a restart).
/// </summary>
public sealed class MediaProcessor(IMediaStore store, IBlobStore blobs, IOptions<MediaOptions> options, ILogger<MediaProcessor> logger)
{
    public async Task HandleAsync(MediaUploaded uploaded, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(uploaded.MediaId, cancellationToken);
        if (record is { Status: MediaStatus.Ready, Thumbnail: ThumbnailState.Pending })
        {
            await MakeThumbnailAsync(record, cancellationToken);
        }
        else if (record is not null && NeedsMeasuring(record))
        {
            await MeasureVideoAsync(record, cancellationToken);
        }
    }

    /// <summary>A ready video whose dimensions are not known yet.</summary>
    public static bool NeedsMeasuring(MediaRecord record) =>
        record is { Status: MediaStatus.Ready, Thumbnail: ThumbnailState.None, Width: null }
        && MediaType.Find(record.ContentType)?.Kind == MediaKind.Video;

    /// <summary>
    /// Reads the video's dimensions from the headers of its container (ranges of the stored original, never the
    /// media data) and records them; a video they cannot be read from keeps null dimensions.
    /// </summary>
    private async Task MeasureVideoAsync(MediaRecord record, CancellationToken cancellationToken)
    {
        var name = BlobNames.Original(record.MediaId);
        var size = await VideoGeometry.MeasureAsync(
            record.ContentType, record.Size, (offset, buffer, token) => blobs.ReadAsync(name, offset, buffer, token), cancellationToken);
        if (size is not { } measured)
        {
            MediaLog.VideoNotMeasured(logger, record.MediaId);
            return;
        }

        // A video's thumbnail state stays None: only its dimensions change.
        await store.RecordThumbnailAsync(record.MediaId, new MediaThumbnail(ThumbnailState.None, measured.Width, measured.Height, null), cancellationToken);
        MediaLog.VideoMeasured(logger, record.MediaId, measured.Width, measured.Height);
    }

    private async Task MakeThumbnailAsync(MediaRecord record, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var original = new MemoryStream(checked((int)Math.Min(record.Size, settings.MaxImageBytes)));
        await using (var source = await blobs.OpenReadAsync(BlobNames.Original(record.MediaId), cancellationToken))
        {
            if (source is null)
            {
                return;
            }

            await source.CopyToAsync(original, cancellationToken);
        }

        original.Position = 0;
        Thumbnail thumbnail;
        try
        {
            thumbnail = await ThumbnailMaker.MakeAsync(original, record.ContentType, settings.ThumbnailSize, settings.MaxDecodePixels, cancellationToken);
        }
        catch (ImageTooLargeException e)
        {
            MediaLog.ThumbnailFailed(logger, record.MediaId, e.Message);
            await store.RecordThumbnailAsync(record.MediaId, new MediaThumbnail(ThumbnailState.Failed, e.Width, e.Height, null), cancellationToken);
            return;
        }
        catch (ImageFormatException e)
        {
            MediaLog.ThumbnailFailed(logger, record.MediaId, e.Message);
            await store.RecordThumbnailAsync(record.MediaId, new MediaThumbnail(ThumbnailState.Failed, null, null, null), cancellationToken);
            return;
        }

        var name = BlobNames.Thumbnail(record.MediaId);
        await blobs.DeleteAsync(name, cancellationToken);
        using (var content = new MemoryStream(thumbnail.Content, writable: false))
        {
            await blobs.WriteAsync(name, content, thumbnail.ContentType, cancellationToken);
        }

        await store.RecordThumbnailAsync(
            record.MediaId, new MediaThumbnail(ThumbnailState.Ready, thumbnail.ImageWidth, thumbnail.ImageHeight, thumbnail.ContentType), cancellationToken);
        MediaLog.ThumbnailMade(logger, record.MediaId, thumbnail.ImageWidth, thumbnail.ImageHeight);
    }
}
