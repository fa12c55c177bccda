using Messenger.Media.Ingest;
using Messenger.Media.Storage;

namespace Messenger.Media;

/// <summary>
/// The answers of the media endpoints that are no <see cref="Core.Errors.ChatException"/>: 415 for content outside
/// the allow-list, 403 <c>quota_exceeded</c> past the owner's storage quota, 507 <c>insufficient_storage</c> when the
/// local disk would keep less than its free-space reserve, 501 for direct upload without blob storage, and nothing at
/// all for an upload whose client went away.
/// </summary>
internal sealed class MediaProblemFilter(ILogger<MediaProblemFilter> logger) : IEndpointFilter
{
    public const string NotImplementedCode = "not_implemented";
    public const string QuotaExceededCode = "quota_exceeded";
    public const string InsufficientStorageCode = "insufficient_storage";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (UnsupportedMediaException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: e.Message);
        }
        catch (QuotaExceededException e)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden, detail: e.Message,
                extensions: new Dictionary<string, object?> { ["code"] = QuotaExceededCode, ["quota"] = e.Quota });
        }
        catch (InsufficientStorageException e)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status507InsufficientStorage, detail: e.Message,
                extensions: new Dictionary<string, object?> { ["code"] = InsufficientStorageCode });
        }
        catch (DirectUploadUnavailableException e)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status501NotImplemented, detail: e.Message,
                extensions: new Dictionary<string, object?> { ["code"] = NotImplementedCode });
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                string path = context.HttpContext.Request.Path;
                MediaLog.UploadAborted(logger, path);
            }

            return Results.Empty;
        }
    }
}
