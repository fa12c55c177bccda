using System.Net;
using Messenger.Sidecar.PubSub;
using Messenger.Sidecar.Runner;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Admin;

/// <summary>
/// The doubles' admin endpoint on 127.0.0.1 (not part of Dapr): <c>GET /counters</c> (operations per app id),
/// <c>GET /counters/keys</c> (state keys read and written per app id, by kind: <see cref="KeyKind"/>),
/// <c>GET /counters/hops</c> (the doubles' own time per hop: <see cref="HopTimings"/>),
/// <c>POST /counters/reset</c>, <c>GET|PUT /broker</c> (the <see cref="BrokerBehavior"/> switches as JSON),
/// <c>GET /placement</c> (hosts and their actor types) and <c>GET /state/{store}?prefix=</c> (keys held). Under
/// <c>up</c> also the apps' processes: <c>GET /apps</c>, <c>POST /apps/{instance}/kill</c> (SIGKILL to its process
/// group), <c>POST /apps/{instance}/stop</c> (SIGTERM, SIGKILL after 10 s) and <c>POST /apps/{instance}/start</c>
/// (answers once the app is healthy again); its sidecar stays up meanwhile.
/// </summary>
public sealed class AdminApi : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private readonly WebApplication app;

    private AdminApi(WebApplication app, int port)
    {
        this.app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Endpoint { get; }

    public static async Task<AdminApi> StartAsync(Infrastructure infrastructure, int port, CancellationToken cancellationToken, AppControl? apps = null)
    {
        port = port == 0 ? FreePort.Take() : port;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(AdminApi).Assembly.GetName().Name, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapGet("/counters", () => Results.Json(infrastructure.Counters.Snapshot()));
        app.MapGet("/counters/keys", () => Results.Json(infrastructure.Counters.KeySnapshot()));
        app.MapGet("/counters/hops", () => Results.Json(infrastructure.Hops.Snapshot()));
        app.MapPost("/counters/reset", () =>
        {
            infrastructure.Counters.Reset();
            infrastructure.Hops.Reset();
            return Results.NoContent();
        });
        app.MapGet("/broker", () => Results.Json(infrastructure.Broker.Behavior));
        app.MapPut("/broker", (BrokerBehavior behavior) =>
        {
            try
            {
                infrastructure.Broker.Behavior = behavior;
                return Results.Json(infrastructure.Broker.Behavior);
            }
            catch (ArgumentOutOfRangeException error)
            {
                return Results.BadRequest(new { error = error.Message });
            }
        });
        app.MapGet("/placement", () => Results.Json(infrastructure.Placement.Hosts.Select(h => new { instance = h.InstanceName, appId = h.AppId, types = h.Types, active = infrastructure.Placement.ActiveCount(h.InstanceName) })));
        app.MapGet("/state/{store}", (string store, string? prefix) =>
            infrastructure.Store(store) is { } s ? Results.Json(s.Keys(prefix ?? string.Empty)) : Results.NotFound());
        if (apps is not null)
        {
            MapApps(app, apps);
        }

        await app.StartAsync(cancellationToken);
        return new AdminApi(app, port);
    }

    private static void MapApps(WebApplication app, AppControl apps)
    {
        app.MapGet("/apps", () => Results.Json(apps.Apps.Select(Describe)));
        app.MapPost("/apps/{instance}/kill", (string instance, CancellationToken cancellationToken) => StopAsync(apps, instance, TimeSpan.Zero, cancellationToken));
        app.MapPost("/apps/{instance}/stop", (string instance, CancellationToken cancellationToken) => StopAsync(apps, instance, StopGrace, cancellationToken));
        app.MapPost("/apps/{instance}/start", async (string instance, CancellationToken cancellationToken) =>
        {
            if (apps.Find(instance) is not { } target)
            {
                return Results.NotFound(new { error = $"no app instance {instance}" });
            }

            if (!await target.StartAsync(cancellationToken))
            {
                return Results.Conflict(new { error = $"{instance} is running" });
            }

            return await target.WaitHealthyAsync(apps.StartTimeout, cancellationToken)
                ? Results.Json(Describe(target))
                : Results.Json(new { error = $"{instance} did not become healthy within {apps.StartTimeout}" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }

    private static async Task<IResult> StopAsync(AppControl apps, string instance, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (apps.Find(instance) is not { } target)
        {
            return Results.NotFound(new { error = $"no app instance {instance}" });
        }

        return await target.StopAsync(grace, cancellationToken)
            ? Results.Json(Describe(target))
            : Results.Conflict(new { error = $"{instance} is not running" });
    }

    private static object Describe(AppInstance app) => new
    {
        instance = app.Name,
        appId = app.Spec.AppId,
        url = app.Url,
        pid = app.Process?.Id,
        running = app.Running,
        exitCode = app.Process is { HasExited: true } exited ? exited.ExitCode : (int?)null,
        starts = app.Starts,
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
