using Messenger.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Messenger.Hosting;

/// <summary>
/// Caps the body of every endpoint that takes JSON (minimal APIs declare it: <see cref="IAcceptsMetadata"/> with a
/// JSON content type) at <see cref="HostingExtensions.MaxJsonBodyBytesKey"/> (64 KiB by default): a larger declared
/// length is refused with 413 before anything is read, and a chunked body fails with 413 once it passes the cap. Kestrel's
/// own 30 MB would let a few dozen anonymous requests pin a gigabyte. Endpoints that take other bodies (media uploads,
/// which set their own limits as they stream) and endpoints with their own <see cref="IRequestSizeLimitMetadata"/> are
/// left alone.
/// </summary>
public static class JsonBodyLimit
{
    public const long DefaultMaxBytes = 64 * 1024;

    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use((context, next) =>
        {
            if (TakesJson(context.GetEndpoint()))
            {
                if (context.Request.ContentLength > maxBytes)
                {
                    throw ChatException.TooLarge($"The request body is over {maxBytes} bytes.");
                }

                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = maxBytes;
                }
            }

            return next(context);
        });

    private static bool TakesJson(Endpoint? endpoint) =>
        endpoint is not null
        && endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is null
        && endpoint.Metadata.GetOrderedMetadata<IAcceptsMetadata>()
            .Any(a => a.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)));
}
