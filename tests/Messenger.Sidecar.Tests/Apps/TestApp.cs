using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Tests.Apps;

/// <summary>
/// A small Dapr app on 127.0.0.1: the real actor runtime (Dapr.Actors.AspNetCore) hosting <see cref="CounterActor"/>,
/// programmatic subscriptions (<c>GET /dapr/subscribe</c>) to routes under /events whose answers the test scripts,
/// and a record of every request's <c>dapr-api-token</c>.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string ActorType = nameof(CounterActor);
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> attempts = new(StringComparer.Ordinal);
    private int eventsInFlight;
    private int maxEventsInFlight;

    private TestApp(WebApplication app, AppIdentity identity, int port)
    {
        this.app = app;
        Identity = identity;
        Port = port;
    }

    public AppIdentity Identity { get; }

    public int Port { get; }

    public ConcurrentQueue<ReceivedEvent> Received { get; } = new();

    public ConcurrentQueue<(string Path, string? Token)> Requests { get; } = new();

    /// <summary>How a route answers: given the route, the event and which attempt at that event this is (1-based).</summary>
    public Func<string, JsonElement, int, IResult> Respond { get; set; } = (_, _, _) => Results.Ok();

    /// <summary>How long each event is held before it is answered.</summary>
    public TimeSpan Hold { get; set; }

    /// <summary>The most events that were being handled at once.</summary>
    public int MaxEventsInFlight => Volatile.Read(ref maxEventsInFlight);

    public static async Task<TestApp> StartAsync(string name, int port, Uri sidecarHttp, IReadOnlyList<TestSubscription> subscriptions, string? daprApiToken = null)
    {
        var identity = new AppIdentity(name);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(identity);
        builder.Services.AddActors(options =>
        {
            options.Actors.RegisterActor<CounterActor>();
            options.HttpEndpoint = sidecarHttp.ToString().TrimEnd('/');
            if (daprApiToken is not null)
            {
                options.DaprApiToken = daprApiToken;
            }

            options.ActorIdleTimeout = TimeSpan.FromMinutes(10);
        });
        var app = builder.Build();
        var testApp = new TestApp(app, identity, port);
        app.Use(async (context, next) =>
        {
            testApp.Requests.Enqueue((context.Request.Path, context.Request.Headers["dapr-api-token"].FirstOrDefault()));
            await next();
        });
        app.MapActorsHandlers();
        app.MapGet("/dapr/subscribe", () => Results.Json(subscriptions.Select(s => s.ToJson())));
        app.MapPost("/events/{**name}", async (HttpContext context, string name) =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            var cloudEvent = document.RootElement.Clone();
            var received = new ReceivedEvent("/events/" + name, context.Request.ContentType, context.Request.Headers["dapr-api-token"].FirstOrDefault(), cloudEvent);
            testApp.Received.Enqueue(received);
            var attempt = testApp.attempts.AddOrUpdate(received.Route + "|" + received.Id, 1, (_, n) => n + 1);
            var now = Interlocked.Increment(ref testApp.eventsInFlight);
            InterlockedMax(ref testApp.maxEventsInFlight, now);
            try
            {
                await Task.Delay(testApp.Hold, context.RequestAborted);
                return testApp.Respond(received.Route, cloudEvent, attempt);
            }
            finally
            {
                Interlocked.Decrement(ref testApp.eventsInFlight);
            }
        });
        await app.StartAsync();
        return testApp;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    public IReadOnlyList<ReceivedEvent> On(string route) => Received.Where(e => e.Route == route).ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
