using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Subscriptions;
using Messenger.Media.Processing.Video;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;

namespace Messenger.Media.Processing;

/// <summary>
/// Handles <see cref="MediaUploaded"/>: makes the thumbnail of a ready image and records the image's dimensions, or
/// measures a ready video from its container's headers (<see cref="VideoGeometry"/>; videos get no thumbnail).
/// Handling the same event again is harmless (a pub/sub redelivery, a restart). Each attempt is counted in the record
/// before it begins; one that fails (or never finishes: the process died in it) is tried again by a redelivery or at
/// the next start, at most <see cref="MaxAttempts"/> times in all: then the record is marked failed and left alone.
/// </summary>
public sealed class MediaProcessor(IMediaStore store, IBlobStore blobs, IOptions<MediaOptions> options, ILogger<MediaProcessor> logger)
    : IEventHandler<MediaUploaded>
{
    public const int MaxAttempts = 3;

    public async Task HandleAsync(MediaUploaded uploaded, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(uploaded.MediaId, cancellationToken);
        if (record is not { Status: MediaStatus.Ready, Thumbnail: ThumbnailState.Pending })
        {
            return;
        }

        var attempt = await store.CountThumbnailAttemptAsync(record.MediaId, cancellationToken);
        if (attempt == 0)
        {
            return;
        }

        if (attempt > MaxAttempts)
        {
            // The earlier attempts ended without an outcome: the process died in them.
            await GiveUpAsync(record, attempt - 1, null, cancellationToken);
            return;
        }

        try
        {
            if (MediaType.Find(record.ContentType)?.Kind == MediaKind.Video)
            {
                await MeasureVideoAsync(record, cancellationToken);
            }
            else
            {
                await MakeThumbnailAsync(record, cancellationToken);
            }
        }
        catch (Exception e) when (attempt >= MaxAttempts && !cancellationToken.IsCancellationRequested)
        {
            await GiveUpAsync(record, attempt, e, cancellationToken);
        }
    }

    private async Task GiveUpAsync(MediaRecord record, int attempts, Exception? exception, CancellationToken cancellationToken)
    {
        MediaLog.ProcessingGivenUp(logger, record.MediaId, attempts, MaxAttempts, exception);
        await store.RecordThumbnailAsync(record.MediaId, new MediaThumbnail(ThumbnailState.Failed, null, null, null), cancellationToken);
    }

    /// <summary>
    /// Reads the video's dimensions from the headers of its container (ranges of the stored original, never the
    /// media data) and records them; a video they cannot be read from keeps null dimensions.
    /// </summary>
    private async Task MeasureVideoAsync(MediaRecord record, CancellationToken cancellationToken)
    {
        var name = BlobNames.Original(record.MediaId);
        var size = await VideoGeometry.MeasureAsync(
            record.ContentType, record.Size, (offset, buffer, token) => blobs.ReadAsync(name, offset, buffer, token), cancellationToken);

        // Either way nothing is pending any more: a video gets no thumbnail, only its dimensions when they can be read.
        await store.RecordThumbnailAsync(record.MediaId, new MediaThumbnail(ThumbnailState.None, size?.Width, size?.Height, null), cancellationToken);
        if (size is { } measured)
        {
            MediaLog.VideoMeasured(logger, record.MediaId, measured.Width, measured.Height);
        }
        else
        {
            MediaLog.VideoNotMeasured(logger, record.MediaId);
        }
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
            record.MediaId, new MediaThumbnail(ThumbnailState.Ready, thumbnail.ImageWidth, thumbnail.ImageHeight, thumbnail.ContentType, thumbnail.Content.Length),
            cancellationToken);
        MediaLog.ThumbnailMade(logger, record.MediaId, thumbnail.ImageWidth, thumbnail.ImageHeight);
    }
}
