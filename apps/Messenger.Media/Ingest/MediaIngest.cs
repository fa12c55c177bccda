using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;

namespace Messenger.Media.Ingest;

/// <summary>
/// An upload through the app: the body is sniffed, streamed through the size limit and SHA-256 into blob storage,
/// and only then made ready. Its record exists from the first stored byte on (so that a crash leaves something
/// for the sweeper to find); a rejected or interrupted upload is removed, blob and record, at once.
/// </summary>
public sealed class MediaIngest(
    IMediaStore store,
    IBlobStore blobs,
    IEventBus bus,
    MediaDiscarder discarder,
    IOptions<MediaOptions> options,
    TimeProvider time,
    ILogger<MediaIngest> logger)
{
    public const string IdPrefix = "md_";

    public async Task<MediaRecord> UploadAsync(string ownerId, Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var upload = await InspectedUpload.OpenAsync(body, declaredLength, settings, cancellationToken);
        var now = time.GetUtcNow();
        var record = new MediaRecord(
            Ids.New(IdPrefix), ownerId, MediaStatus.Uploading, upload.Type.ContentType, declaredLength ?? 0, null, null, null,
            ThumbnailState.None, null, now, now + settings.UploadTimeout, []);
        MediaContent content;
        try
        {
            await store.AddAsync(record, cancellationToken);
            await blobs.WriteAsync(BlobNames.Original(record.MediaId), upload.Stream, upload.Type.ContentType, cancellationToken);
            content = upload.Content();
            if (!await store.MarkReadyAsync(record.MediaId, MediaStatus.Uploading, content, cancellationToken))
            {
                throw new InvalidOperationException($"Upload {record.MediaId} was swept before it finished.");
            }
        }
        catch (Exception e)
        {
            // Not the request's token: the client may be gone, and what it left must go all the same.
            await discarder.DiscardAsync(record.MediaId, e.GetType().Name, CancellationToken.None);
            throw;
        }

        MediaLog.Stored(logger, record.MediaId, ownerId, content.ContentType, content.Size);
        var ready = record with
        {
            Status = MediaStatus.Ready, ContentType = content.ContentType, Size = content.Size, Sha256 = content.Sha256,
            Width = content.Width, Height = content.Height, Thumbnail = content.Thumbnail, PendingUntil = null,
        };
        await RequestProcessingAsync(ready, bus, cancellationToken);
        return ready;
    }

    /// <summary>Images get a thumbnail (and their exact dimensions), videos their dimensions, off the request path.</summary>
    internal static Task RequestProcessingAsync(MediaRecord ready, IEventBus bus, CancellationToken cancellationToken) =>
        ready.Thumbnail == ThumbnailState.Pending
            ? bus.PublishAsync(Topics.MediaUploaded, new MediaUploaded(ready.MediaId, ready.OwnerId, ready.ContentType), cancellationToken)
            : Task.CompletedTask;
}
