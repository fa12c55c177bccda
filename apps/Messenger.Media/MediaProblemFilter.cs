using Messenger.Media.Ingest;

namespace Messenger.Media;

/// <summary>
/// The answers of the media endpoints that are no <see cref="Core.Errors.ChatException"/>: 415 for content outside
/// the allow-list, 501 for direct upload without blob storage, and nothing at all for an upload whose client went away.
/// </summary>
internal sealed class MediaProblemFilter(ILogger<MediaProblemFilter> logger) : IEndpointFilter
{
    public const string NotImplementedCode = "not_implemented";

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
