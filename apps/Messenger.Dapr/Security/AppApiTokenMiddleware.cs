using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Security;

/// <summary>
/// Answers 401, and runs nothing, for a request to a <see cref="SidecarRoutes"/> path that does not carry the app API
/// token in <see cref="AppApiTokenOptions.Header"/>. The tokens are compared as SHA-256 digests in constant time, so
/// neither their content nor their length shows in the time taken.
/// </summary>
internal sealed class AppApiTokenMiddleware(RequestDelegate next, IOptions<AppApiTokenOptions> options, ILogger<AppApiTokenMiddleware> logger)
{
    private readonly byte[]? expected = options.Value.IsSet ? Digest(options.Value.Token!) : null;

    public Task InvokeAsync(HttpContext context)
    {
        if (expected is null || !SidecarRoutes.IsSidecarOnly(context.Request.Path))
        {
            return next(context);
        }

        var given = context.Request.Headers[AppApiTokenOptions.Header];
        if (given.Count == 1 && CryptographicOperations.FixedTimeEquals(Digest(given[0] ?? string.Empty), expected))
        {
            return next(context);
        }

        DaprLog.AppTokenRefused(logger, context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
