using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Media.Contracts;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;

namespace Messenger.Media.Ingest;

/// <summary>
/// Uploads that go straight to blob storage: a write-only SAS URL for one staging blob, then a completion that
/// checks what arrived exactly as an upload through the app is checked (sniffed type, size limit, SHA-256), copies
/// that very version to the media's blob (so that writing to the URL afterwards changes nothing) and only then makes
/// the media ready to send. The declared size is reserved in the owner's storage quota when the URL is handed out
/// (403 <c>quota_exceeded</c> if it does not fit); a completion that finds more than was declared must fit the rest
/// into the quota before the media is copied, and one that finds less gives the difference back.
/// Needs blob storage: without it every call throws <see cref="DirectUploadUnavailableException"/>.
/// </summary>
public sealed class DirectUploads(
    IMediaStore store,
    IBlobStore blobs,
    IEventBus bus,
    MediaDiscarder discarder,
    IOptions<MediaOptions> options,
    TimeProvider time,
    ILogger<DirectUploads> logger,
    IDirectBlobAccess? direct = null)
{
    /// <summary>The header a PUT to a blob URL needs.</summary>
    public const string BlobTypeHeader = "x-ms-blob-type";

    public async Task<UploadTicket> CreateAsync(string ownerId, CreateUploadRequest request, CancellationToken cancellationToken)
    {
        var access = direct ?? throw new DirectUploadUnavailableException();
        var settings = options.Value;
        var type = MediaType.Find(request.ContentType ?? throw ChatException.BadRequest("contentType is required."))
            ?? throw UnsupportedMediaException.NotAllowed();
        var size = request.Size ?? throw ChatException.BadRequest("size is required.");
        if (size <= 0)
        {
            throw ChatException.BadRequest("size must be a positive number of bytes.");
        }

        var limit = settings.LimitFor(type.Kind);
        if (size > limit)
        {
            throw ChatException.TooLarge($"The file is larger than the limit of {limit} bytes for its type.");
        }

        var mediaId = Ids.New(MediaIngest.IdPrefix);
        var expiresAt = time.GetUtcNow() + settings.UploadUrlLifetime;
        var url = await access.WriteUrlAsync(BlobNames.Staging(mediaId), expiresAt, cancellationToken);
        var record = new MediaRecord(mediaId, ownerId, MediaStatus.AwaitingUpload, type.ContentType, size, null, null, null, ThumbnailState.None, null,
            time.GetUtcNow(), expiresAt + settings.UploadCompletionGrace, [], ChargedBytes: size);
        if (!await store.TryAddAsync(record, settings.UserQuota, cancellationToken))
        {
            throw new QuotaExceededException(settings.UserQuota);
        }

        return new UploadTicket(
            mediaId, url.AbsoluteUri, HttpMethods.Put, new Dictionary<string, string> { [BlobTypeHeader] = "BlockBlob" }, expiresAt, limit,
            $"{MediaPaths.Root}/uploads/{mediaId}/complete");
    }

    /// <summary>
    /// Checks what arrived and makes the media ready (again: the ready media). A rejected upload loses its staging
    /// blob at once; its record goes with the sweep after the upload URL expired, as the URL may be written again until then.
    /// </summary>
    public async Task<MediaRecord> CompleteAsync(string ownerId, string mediaId, CancellationToken cancellationToken)
    {
        var access = direct ?? throw new DirectUploadUnavailableException();
        var record = Ids.IsWellFormed(mediaId) ? await store.GetAsync(mediaId, cancellationToken) : null;
        if (record is null || record.OwnerId != ownerId || record.Status == MediaStatus.Uploading)
        {
            throw ChatException.NotFound("Upload not found.");
        }

        if (record.Status == MediaStatus.Ready)
        {
            return record;
        }

        if (record.PendingUntil < time.GetUtcNow())
        {
            throw ChatException.NotFound("The upload has expired.");
        }

        var staging = BlobNames.Staging(mediaId);
        var arrived = await blobs.GetAsync(staging, cancellationToken)
            ?? throw ChatException.Conflict("Nothing has arrived at the upload URL yet.");
        MediaContent content;
        MediaType type;
        try
        {
            await using var source = await access.OpenReadAsync(staging, arrived.ETag, cancellationToken)
                ?? throw ChatException.Conflict("Nothing has arrived at the upload URL yet.");
            using var upload = await InspectedUpload.OpenAsync(source, arrived.Size, options.Value, cancellationToken);
            await upload.Stream.CopyToAsync(Stream.Null, cancellationToken);
            content = upload.Content();
            type = upload.Type;
        }
        catch (Exception e) when (e is UnsupportedMediaException or ChatException { Code: ErrorCodes.TooLarge or ErrorCodes.BadRequest })
        {
            await discarder.DeleteBlobAsync(mediaId, staging, CancellationToken.None);
            throw;
        }

        var quota = options.Value.UserQuota;
        if (content.Size > record.ChargedBytes && !await store.TryChargeAsync(mediaId, content.Size - record.ChargedBytes, quota, cancellationToken))
        {
            // Its reservation stays with the record until the sweep, as the URL may be written again until then.
            await discarder.DeleteBlobAsync(mediaId, staging, CancellationToken.None);
            throw new QuotaExceededException(quota);
        }

        await access.CopyAsync(staging, arrived.ETag, BlobNames.Original(mediaId), type.ContentType, cancellationToken);
        if (!await store.MarkReadyAsync(mediaId, MediaStatus.AwaitingUpload, content, record.CreatedAt + options.Value.UnsentLifetime, cancellationToken))
        {
            // Completed twice at once: the other call made it ready, and counted what this one added.
            if (content.Size > record.ChargedBytes)
            {
                await store.TryChargeAsync(mediaId, record.ChargedBytes - content.Size, quota, cancellationToken);
            }

            return await store.GetAsync(mediaId, cancellationToken) is { Status: MediaStatus.Ready } done
                ? done
                : throw ChatException.NotFound("Upload not found.");
        }

        if (content.Size < record.ChargedBytes)
        {
            await store.TryChargeAsync(mediaId, content.Size - record.ChargedBytes, quota, cancellationToken);
        }

        await discarder.DeleteBlobAsync(mediaId, staging, cancellationToken);
        MediaLog.Stored(logger, mediaId, ownerId, content.ContentType, content.Size);
        var ready = (await store.GetAsync(mediaId, cancellationToken))!;
        await MediaIngest.RequestProcessingAsync(ready, bus, cancellationToken);
        return ready;
    }
}
