using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Media.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Messenger.Media;

/// <summary>
/// Serves a blob to a reader already allowed to have it: with blob storage, a redirect to a read-only SAS URL that
/// expires within minutes; on the local disk, the bytes themselves (ranges and conditional requests included).
/// </summary>
public sealed class MediaDownloads(IBlobStore blobs, IOptions<MediaOptions> options, IDirectBlobAccess? direct = null)
{
    public async Task<Results<FileStreamHttpResult, RedirectHttpResult>> ServeAsync(HttpContext context, string blobName, string contentType, string etag, CancellationToken cancellationToken)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (direct is not null)
        {
            // The URL is a short-lived credential: no cache may keep the redirect.
            headers.CacheControl = "no-store";
            return TypedResults.Redirect(direct.ReadUrl(blobName, contentType, options.Value.DownloadUrlLifetime).AbsoluteUri);
        }

        var stream = await blobs.OpenReadAsync(blobName, cancellationToken) ?? throw ChatException.NotFound("Media not found.");
        headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(stream, contentType, entityTag: new EntityTagHeaderValue($"\"{etag}\""), enableRangeProcessing: true);
    }

    public Task<Results<FileStreamHttpResult, RedirectHttpResult>> OriginalAsync(HttpContext context, MediaRecord record, CancellationToken cancellationToken) =>
        ServeAsync(context, BlobNames.Original(record.MediaId), record.ContentType, record.Sha256 ?? record.MediaId, cancellationToken);

    public Task<Results<FileStreamHttpResult, RedirectHttpResult>> ThumbnailAsync(HttpContext context, MediaRecord record, CancellationToken cancellationToken) =>
        record is { Thumbnail: ThumbnailState.Ready, ThumbnailContentType: { } type }
            ? ServeAsync(context, BlobNames.Thumbnail(record.MediaId), type, $"{record.Sha256}-thumbnail", cancellationToken)
            : throw ChatException.NotFound(record.Thumbnail == ThumbnailState.Pending && MediaType.Find(record.ContentType)?.Kind == MediaKind.Image
                ? "The thumbnail is not made yet; try again shortly."
                : "This media has no thumbnail.");
}
