using System.Security.Claims;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Messenger.Media.Contracts;
using Messenger.Media.Ingest;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Messenger.Media;

/// <summary>
/// <c>POST /api/media</c> (raw body or multipart <c>file</c>) -> 201 media; <c>POST /api/media/uploads</c> -> 201
/// direct-upload ticket; <c>POST /api/media/uploads/{mediaId}/complete</c> -> 200 media;
/// <c>GET /api/media/{mediaId}</c> and <c>GET /api/media/{mediaId}/thumbnail</c> -> the bytes (local disk) or a
/// redirect to a short-lived read-only URL (blob storage), for the uploader and members of a conversation it was sent in.
/// </summary>
public static class MediaEndpoints
{
    /// <summary>Room for the multipart boundaries and part headers around the file, over the largest file allowed.</summary>
    public const long MultipartAllowance = 64 * 1024;

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var media = endpoints.MapGroup(MediaPaths.Root).RequireAuthorization().WithTags("Media").AddEndpointFilter<MediaProblemFilter>();
        // The problems listed with ProducesProblem are thrown by the ingest and answered by MediaProblemFilter or the
        // ChatException handler, so the return types cannot name them.
        media.MapPost("", UploadAsync).WithName("UploadMedia").RateLimited(RateLimitKind.Uploads)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        media.MapPost("/uploads", CreateUploadAsync).WithName("CreateDirectUpload").RateLimited(RateLimitKind.Uploads)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        media.MapPost("/uploads/{mediaId}/complete", CompleteUploadAsync).WithName("CompleteDirectUpload")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        // A download answers with the bytes or a redirect, as MediaDownloads chooses by the storage; neither result
        // type describes itself in OpenAPI, so the answers are listed here.
        media.MapGet("/{mediaId}", DownloadAsync).WithName("DownloadMedia")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status302Found).ProducesProblem(StatusCodes.Status404NotFound);
        media.MapGet("/{mediaId}" + MediaPaths.ThumbnailSuffix, ThumbnailAsync).WithName("DownloadMediaThumbnail")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status302Found).ProducesProblem(StatusCodes.Status404NotFound);
        return media;
    }

    private static async Task<Created<MediaInfo>> UploadAsync(
        HttpContext context, ClaimsPrincipal user, MediaIngest ingest, IOptions<MediaOptions> options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // The server's limit lets the largest allowed file through; the limit of its type is checked as it streams.
            bodyLimit.MaxRequestBodySize = options.Value.MaxUploadBytes + MultipartAllowance;
        }

        var record = MultipartFile.IsMultipart(request.ContentType)
            ? await ingest.UploadAsync(user.GetUserId(), await MultipartFile.OpenAsync(request, cancellationToken), null, request.ContentLength, cancellationToken)
            : await ingest.UploadAsync(user.GetUserId(), request.Body, request.ContentLength, null, cancellationToken);
        return TypedResults.Created(MediaPaths.Download(record.MediaId), record.ToMediaInfo());
    }

    private static async Task<Created<UploadTicket>> CreateUploadAsync(
        CreateUploadRequest? request, ClaimsPrincipal user, DirectUploads uploads, CancellationToken cancellationToken)
    {
        var ticket = await uploads.CreateAsync(user.GetUserId(), request ?? throw ChatException.BadRequest("A body {contentType, size} is required."), cancellationToken);
        return TypedResults.Created(ticket.CompleteUrl, ticket);
    }

    private static async Task<Ok<MediaInfo>> CompleteUploadAsync(
        string mediaId, ClaimsPrincipal user, DirectUploads uploads, CancellationToken cancellationToken)
    {
        var record = await uploads.CompleteAsync(user.GetUserId(), mediaId, cancellationToken);
        return TypedResults.Ok(record.ToMediaInfo());
    }

    private static async Task<Results<FileStreamHttpResult, RedirectHttpResult>> DownloadAsync(
        string mediaId, HttpContext context, ClaimsPrincipal user, MediaAccess access, MediaDownloads downloads, CancellationToken cancellationToken)
    {
        var record = await access.GetReadableAsync(user.GetUserId(), mediaId, cancellationToken);
        return await downloads.OriginalAsync(context, record, cancellationToken);
    }

    private static async Task<Results<FileStreamHttpResult, RedirectHttpResult>> ThumbnailAsync(
        string mediaId, HttpContext context, ClaimsPrincipal user, MediaAccess access, MediaDownloads downloads, CancellationToken cancellationToken)
    {
        var record = await access.GetReadableAsync(user.GetUserId(), mediaId, cancellationToken);
        return await downloads.ThumbnailAsync(context, record, cancellationToken);
    }
}
