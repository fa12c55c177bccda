using Messenger.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Hosting.RateLimits;

public static class RateLimitEndpointExtensions
{
    /// <summary>Takes a token per call: per user when signed in, else per client address (<see cref="PartitionKey"/>).</summary>
    public static TBuilder RateLimited<TBuilder>(this TBuilder builder, RateLimitKind kind)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            http.RequestServices.GetRequiredService<ChatRateLimiter>().Acquire(kind, PartitionKey(http));
            return await next(context);
        });

    /// <summary>
    /// The signed-in user, else the client address (<see cref="ClientAddress"/>): the connection's, which behind a
    /// trusted proxy the forwarded headers middleware has set to the client's (<see cref="ForwardedHeadersSettings"/>).
    /// </summary>
    public static string PartitionKey(HttpContext http) =>
        http.User.FindFirst(MessengerClaims.UserId)?.Value
        ?? "ip:" + ClientAddress.KeyOf(http.Connection.RemoteIpAddress);

    /// <summary>Retry-After on a 429.</summary>
    internal static void AddRetryAfter(HttpContext http, ChatException e)
    {
        if (e.RetryAfter is { } after)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
