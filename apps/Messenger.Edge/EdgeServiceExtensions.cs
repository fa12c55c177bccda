using Messenger.Hosting;

namespace Messenger.Edge;

/// <summary>
/// The edge: a reverse proxy (YARP) whose routes and clusters are configuration (section <see cref="Section"/>):
/// appsettings.json names the public paths and the app each goes to; where the apps listen is set per run (dapr.yaml's
/// env for the edge, or the chart). An app with no destination answers 503.
/// </summary>
public static class EdgeServiceExtensions
{
    public const string Section = "ReverseProxy";

    /// <summary>
    /// The proxy, and the trusted proxies in front of the edge (<see cref="ForwardedHeadersSettings"/>, an Ingress
    /// controller say): YARP sets X-Forwarded-For to the address the edge sees as the client's (by default it replaces
    /// what came in), so without them every client would reach the apps as the Ingress controller.
    /// </summary>
    public static IHostApplicationBuilder AddEdge(this IHostApplicationBuilder builder)
    {
        builder.AddMessengerForwardedHeaders();
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection(Section));
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapEdge(this WebApplication app)
    {
        app.UseMessengerForwardedHeaders();
        app.UseWebSockets();
        app.MapHealthChecks(HostingExtensions.HealthPath);
        app.MapReverseProxy();
        return app;
    }
}
