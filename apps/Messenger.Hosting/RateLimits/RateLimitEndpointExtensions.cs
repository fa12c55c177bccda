using Messenger.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Hosting.RateLimits;

public static class RateLimitEndpointExtensions
{
    /// <summary>Takes a token per call: per user when signed in, else per client address.</summary>
    public static TBuilder RateLimited<TBuilder>(this TBuilder builder, RateLimitKind kind)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            http.RequestServices.GetRequiredService<ChatRateLimiter>().Acquire(kind, PartitionKey(http));
            return await next(context);
        });

    public static string PartitionKey(HttpContext http) =>
        http.User.FindFirst(MessengerClaims.UserId)?.Value
        ?? "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>Retry-After on a 429.</summary>
    internal static void AddRetryAfter(HttpContext http, ChatException e)
    {
        if (e.RetryAfter is { } after)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
