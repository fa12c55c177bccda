using Messenger.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Messenger.WebClient;

/// <summary>
/// Serves the browser client (plain ES modules and CSS, no build step) at <c>/</c>, each file with the security
/// headers, whatever else the host puts in front (the edge proxies everything else unchanged).
/// </summary>
public static class WebClientEndpoints
{
    public static WebApplication MapWebClient(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(WebClientEndpoints).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = "no-cache";
                SecurityHeaders.Apply(context.Context.Response.Headers);
            },
        });
        return app;
    }
}
