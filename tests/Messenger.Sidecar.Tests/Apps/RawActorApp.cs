using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Tests.Apps;

/// <summary>
/// An actor host without the SDK's actor runtime (which has a per-actor lock of its own): it answers the runtime's
/// calls by hand, holds every method call for a while and records calls to one id that overlapped, so that only the
/// sidecar's turn-based concurrency keeps them apart.
/// </summary>
public sealed class RawActorApp : IAsyncDisposable
{
    public const string ActorType = "RawActor";
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> inFlight = new(StringComparer.Ordinal);
    private int calls;

    private RawActorApp(WebApplication app) => this.app = app;

    public ConcurrentBag<string> Overlaps { get; } = [];

    public int Calls => Volatile.Read(ref calls);

    public static async Task<RawActorApp> StartAsync(int port, TimeSpan hold)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var raw = new RawActorApp(app);
        app.MapGet("/dapr/config", () => Results.Json(new { entities = new[] { ActorType }, actorIdleTimeout = "1h", actorScanInterval = "30s" }));
        app.MapPut("/actors/{type}/{id}/method/{method}", async (string id) =>
        {
            Interlocked.Increment(ref raw.calls);
            if (raw.inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            {
                raw.Overlaps.Add(id);
            }

            await Task.Delay(hold);
            raw.inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            return Results.Ok();
        });
        await app.StartAsync();
        return raw;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
