using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;

namespace Messenger.Media.Ingest;

/// <summary>
/// An upload through the app: the body is sniffed, streamed through the size limit and SHA-256 into blob storage,
/// and only then made ready. Before any byte is stored, the upload reserves its size in its owner's storage quota
/// (the declared length; without one, what is left of the quota up to the type's limit and the request's length) in
/// the same write that creates its record, and on the local disk checks the free-space reserve; the stream is cut
/// off past the reservation, and once it is stored the reservation shrinks to the real size. Its record exists from
/// the first stored byte on (so that a crash leaves something for the sweeper to find); a rejected or interrupted
/// upload is removed, blob and record, at once, and its reservation given back. A ready upload is swept with its
/// thumbnail if no message carried it within <see cref="MediaOptions.UnsentLifetime"/>.
/// </summary>
public sealed class MediaIngest(
    IMediaStore store,
    IBlobStore blobs,
    IEventBus bus,
    MediaDiscarder discarder,
    IOptions<MediaOptions> options,
    TimeProvider time,
    ILogger<MediaIngest> logger,
    LocalDiskSpace? space = null)
{
    public const string IdPrefix = "md_";

    /// <summary>How often an upload of unknown length tries again to reserve what is left of the quota when others took it first.</summary>
    private const int ReserveAttempts = 3;

    /// <summary>
    /// Stores the upload. <paramref name="declaredLength"/> is the exact length of the content when the request says it
    /// (a raw body's Content-Length); <paramref name="lengthBound"/> a length the content cannot pass (a multipart
    /// request's Content-Length).
    /// </summary>
    public async Task<MediaRecord> UploadAsync(string ownerId, Stream body, long? declaredLength, long? lengthBound, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var upload = await InspectedUpload.OpenAsync(body, declaredLength, settings, cancellationToken);
        var record = await ReserveAsync(ownerId, upload.Type, declaredLength, lengthBound, settings, cancellationToken);
        upload.Stream.Allow(record.ChargedBytes, () => new QuotaExceededException(settings.UserQuota));
        MediaContent content;
        try
        {
            await blobs.WriteAsync(BlobNames.Original(record.MediaId), upload.Stream, upload.Type.ContentType, cancellationToken);
            content = upload.Content();
            if (!await store.MarkReadyAsync(record.MediaId, MediaStatus.Uploading, content, record.CreatedAt + settings.UnsentLifetime, cancellationToken))
            {
                throw new InvalidOperationException($"Upload {record.MediaId} was swept before it finished.");
            }

            if (content.Size < record.ChargedBytes)
            {
                await store.TryChargeAsync(record.MediaId, content.Size - record.ChargedBytes, settings.UserQuota, cancellationToken);
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
            Width = content.Width, Height = content.Height, Thumbnail = content.Thumbnail, PendingUntil = record.CreatedAt + settings.UnsentLifetime,
            ChargedBytes = content.Size,
        };
        await RequestProcessingAsync(ready, bus, cancellationToken);
        return ready;
    }

    /// <summary>
    /// Checks the free-space reserve and creates the upload's record with its reservation, or throws: 507 when the
    /// local disk is short, 403 when the quota has no room for it (nothing is stored either way).
    /// </summary>
    private async Task<MediaRecord> ReserveAsync(
        string ownerId, MediaType type, long? declaredLength, long? lengthBound, MediaOptions settings, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var reserve = declaredLength
                ?? Math.Min(Math.Min(settings.LimitFor(type.Kind), lengthBound ?? long.MaxValue), settings.UserQuota - await store.GetUsageAsync(ownerId, cancellationToken));
            if (reserve <= 0)
            {
                throw new QuotaExceededException(settings.UserQuota);
            }

            space?.EnsureRoomFor(reserve);
            var now = time.GetUtcNow();
            var record = new MediaRecord(
                Ids.New(IdPrefix), ownerId, MediaStatus.Uploading, type.ContentType, declaredLength ?? 0, null, null, null,
                ThumbnailState.None, null, now, now + settings.UploadTimeout, [], ChargedBytes: reserve);
            if (await store.TryAddAsync(record, settings.UserQuota, cancellationToken))
            {
                return record;
            }

            if (declaredLength is not null || attempt == ReserveAttempts)
            {
                throw new QuotaExceededException(settings.UserQuota);
            }
        }
    }

    /// <summary>Images get a thumbnail (and their exact dimensions), videos their dimensions, off the request path.</summary>
    internal static Task RequestProcessingAsync(MediaRecord ready, IEventBus bus, CancellationToken cancellationToken) =>
        ready.Thumbnail == ThumbnailState.Pending
            ? bus.PublishAsync(Topics.MediaUploaded, new MediaUploaded(ready.MediaId, ready.OwnerId, ready.ContentType), cancellationToken)
            : Task.CompletedTask;
}
