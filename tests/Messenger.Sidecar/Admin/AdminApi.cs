using System.Net;
using Messenger.Sidecar.PubSub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Admin;

/// <summary>
/// The doubles' admin endpoint on 127.0.0.1 (not part of Dapr): <c>GET /counters</c> (operations per app id),
/// <c>POST /counters/reset</c>, <c>GET|PUT /broker</c> (the <see cref="BrokerBehavior"/> switches as JSON),
/// <c>GET /placement</c> (hosts and their actor types) and <c>GET /state/{store}?prefix=</c> (keys held).
/// </summary>
public sealed class AdminApi : IAsyncDisposable
{
    private readonly WebApplication app;

    private AdminApi(WebApplication app, int port)
    {
        this.app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Endpoint { get; }

    public static async Task<AdminApi> StartAsync(Infrastructure infrastructure, int port, CancellationToken cancellationToken)
    {
        port = port == 0 ? FreePort.Take() : port;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(AdminApi).Assembly.GetName().Name, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapGet("/counters", () => Results.Json(infrastructure.Counters.Snapshot()));
        app.MapPost("/counters/reset", () =>
        {
            infrastructure.Counters.Reset();
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
        await app.StartAsync(cancellationToken);
        return new AdminApi(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
