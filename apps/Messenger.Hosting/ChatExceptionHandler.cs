using Messenger.Core.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Messenger.Hosting;

/// <summary>Turns a refused request (<see cref="ChatException"/>) or a malformed one into problem details.</summary>
internal sealed class ChatExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            ChatException e => (ChatErrorMapping.StatusCode(e.Code), e.Code, e.Message),
            BadHttpRequestException e => (e.StatusCode, ChatErrorMapping.Code(e.StatusCode), BadRequestDetail(e)),
            _ => (StatusCodes.Status500InternalServerError, ErrorCodes.Internal, "Something went wrong on our side."),
        };
        httpContext.Response.StatusCode = status;
        if (exception is ChatException limited)
        {
            RateLimits.RateLimitEndpointExtensions.AddRetryAfter(httpContext, limited);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    private static string BadRequestDetail(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON for this endpoint ({json.Path ?? "$"})."
            : e.Message;
}
