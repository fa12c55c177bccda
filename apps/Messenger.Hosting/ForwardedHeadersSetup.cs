using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Messenger.Hosting;

/// <summary>
/// ASP.NET Core's forwarded headers middleware over <see cref="ForwardedHeadersSettings"/>: behind a trusted proxy
/// (the edge, an Ingress controller) the connection's remote address becomes the client's, so that per-address limits
/// count each client and not the proxy.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IHostApplicationBuilder AddMessengerForwardedHeaders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;

            // The defaults trust loopback; only what is configured is trusted. No limit on the hops: the walk back
            // through X-Forwarded-For stops at the first address that is not a trusted proxy.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.ForwardLimit = null;
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>
    /// Reads X-Forwarded-For from trusted proxies; first in the pipeline. With no proxy configured it adds nothing:
    /// the middleware would trust every sender when both of its lists are empty.
    /// </summary>
    public static IApplicationBuilder UseMessengerForwardedHeaders(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.IsConfigured)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
