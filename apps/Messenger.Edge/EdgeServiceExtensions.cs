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

    public static IHostApplicationBuilder AddEdge(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection(Section));
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapEdge(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapHealthChecks(HostingExtensions.HealthPath);
        app.MapReverseProxy();
        return app;
    }
}
