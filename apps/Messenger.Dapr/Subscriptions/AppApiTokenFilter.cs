using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Messenger.Dapr.Subscriptions;

/// <summary>
/// When the sidecar is configured with an app API token (<c>APP_API_TOKEN</c>, set by Dapr for the app too), only
/// requests carrying it in <c>dapr-api-token</c> reach the pub/sub endpoints; without one they are open, as on a
/// laptop where only the sidecar can reach the app.
/// </summary>
internal sealed class AppApiTokenFilter(IConfiguration configuration, ILogger<AppApiTokenFilter> logger) : IEndpointFilter
{
    public const string ConfigurationKey = "APP_API_TOKEN";
    public const string Header = "dapr-api-token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = configuration[ConfigurationKey];
        if (!string.IsNullOrEmpty(expected))
        {
            var given = context.HttpContext.Request.Headers[Header].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            {
                DaprLog.AppTokenRefused(logger, context.HttpContext.Request.Path);
                return Results.Unauthorized();
            }
        }

        return await next(context);
    }
}
