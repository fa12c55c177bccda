using System.Net;
using Messenger.Core.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Messenger.Hosting.Telemetry;

/// <summary>
/// Puts <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/metrics</c> in front of the host's own pipeline (before
/// forwarded headers, auth and the app's routes), so that every host, the edge included, answers them the same way
/// with one call in its Program.cs.
/// </summary>
internal sealed class TelemetryStartupFilter(IOptions<TelemetryOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseHealthChecks(TelemetryPaths.Live, new HealthCheckOptions { Predicate = _ => false });
        app.UseHealthChecks(TelemetryPaths.Ready, new HealthCheckOptions { Predicate = check => check.Tags.Contains(MessengerTelemetry.ReadyTag) });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => IsScrape(context, options.Value.MetricsPort));
        next(app);
    };

    /// <summary>
    /// <c>/metrics</c> on the metrics port, or from loopback when there is none; anywhere else it is not there (404
    /// from the app), so a public port, or the Ingress in front of it, never shows it.
    /// </summary>
    internal static bool IsScrape(HttpContext context, int? metricsPort) =>
        context.Request.Path.Equals(TelemetryPaths.Metrics, StringComparison.OrdinalIgnoreCase)
        && (metricsPort is { } port
            ? context.Connection.LocalPort == port
            : context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote));
}
