using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Messenger.Core.Ports;
using Messenger.Dapr.Security;
using Messenger.Dapr.Subscriptions;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Gateway;
using Messenger.Media.Processing;
using Messenger.Messages.Contracts;
using Messenger.Push;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Dapr.Tests.Infrastructure;

/// <summary>
/// Gateway x2, messages and push (and media, when asked for), each from its own Program.cs, in one process. The fake
/// sidecar keeps state in memory, runs actor calls through the messages app's real actor endpoints one at a time per
/// actor, and delivers each published event as a CloudEvent to the routes the subscribing apps list in
/// <c>/dapr/subscribe</c>, in order per subscriber, like a broker (twice when <see cref="DeliverTwice"/> is set, like a
/// broker that redelivers). With an app API token every app requires it and the fake sidecar sends it, as daprd does.
/// </summary>
internal sealed class Topology : IAsyncDisposable
{
    private readonly List<Subscriber> subscribers = [];
    private readonly CancellationTokenSource stopping = new();

    private readonly TempDirectory? mediaDirectory;

    private readonly string? appApiToken;

    private Topology(bool withMedia, string? appApiToken)
    {
        this.appApiToken = appApiToken;
        Sidecar = new ActorSidecar(appApiToken);
        Dapr.OnPublished = OnPublishedAsync;
        var token = new Dictionary<string, string>();
        if (appApiToken is not null)
        {
            token[AppApiTokenOptions.ConfigurationKey] = appApiToken;
        }

        if (withMedia)
        {
            // The media app with its blobs on the local disk (no secret store to read a connection string from).
            mediaDirectory = new TempDirectory();
            Media = new DaprAppFactory<MediaProgram>(
                new Dictionary<string, string>(token)
                {
                    ["Messenger:Media:BlobConnectionStringSecret"] = string.Empty,
                    ["Messenger:Media:LocalDirectory"] = mediaDirectory.Path,
                },
                Dapr, Sidecar);
        }

        Messages = new DaprAppFactory<MessagesProgram>(token, dapr: Dapr, sidecar: Sidecar, vault: Vault);
        Gateway1 = new DaprAppFactory<GatewayProgram>(new Dictionary<string, string>(token) { ["Messenger:Gateway:InstanceId"] = "gateway-1" }, Dapr, Sidecar);
        Gateway2 = new DaprAppFactory<GatewayProgram>(new Dictionary<string, string>(token) { ["Messenger:Gateway:InstanceId"] = "gateway-2" }, Dapr, Sidecar);
        Push = new DaprAppFactory<PushProgram>(
            new Dictionary<string, string>(token) { ["Messenger:Push:Fcm:CollapseWindow"] = "00:00:00" }, Dapr, Sidecar,
            services: s => s.AddSingleton<IPushSender>(PushSender));
    }

    public InMemoryDapr Dapr { get; } = new();

    public ActorSidecar Sidecar { get; }

    public ActorStateVault Vault { get; } = new();

    public RecordingPushSender PushSender { get; } = new();

    public DaprAppFactory<MessagesProgram> Messages { get; }

    public DaprAppFactory<GatewayProgram> Gateway1 { get; }

    public DaprAppFactory<GatewayProgram> Gateway2 { get; }

    public DaprAppFactory<PushProgram> Push { get; }

    /// <summary>The media app, when the topology was started with it.</summary>
    public DaprAppFactory<MediaProgram>? Media { get; }

    public bool DeliverTwice { get; set; }

    public ConcurrentQueue<string> DeliveryFailures { get; } = new();

    private readonly ConcurrentDictionary<string, int> delivered = new(StringComparer.Ordinal);

    /// <summary>Deliveries to <paramref name="topic"/>'s subscribers that they answered SUCCESS.</summary>
    public int DeliveredCount(string topic) => delivered.GetValueOrDefault(topic);

    public static async Task<Topology> StartAsync(bool withMedia = false, string? appApiToken = null)
    {
        var topology = new Topology(withMedia, appApiToken);
        topology.Sidecar.HostedBy(topology.Messages.Server.CreateHandler());
        HttpClient[] apps = [topology.Messages.CreateClient(), topology.Gateway1.CreateClient(), topology.Gateway2.CreateClient(), topology.Push.CreateClient()];
        foreach (var app in topology.Media is null ? apps : [.. apps, topology.Media.CreateClient()])
        {
            await topology.SubscribeAsync(app);
        }

        return topology;
    }

    public async Task<(string UserId, string Token)> RegisterAsync(string username)
    {
        using var client = Messages.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { username, password = "correct horse battery" });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["userId"]!, (string)body["token"]!);
    }

    public HttpClient MessagesAs(string token) => Authorized(Messages.CreateClient(), token);

    public HttpClient PushAs(string token) => Authorized(Push.CreateClient(), token);

    public HttpClient MediaAs(string token) => Authorized((Media ?? throw new InvalidOperationException("Started without the media app.")).CreateClient(), token);

    private static HttpClient Authorized(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task SubscribeAsync(HttpClient app)
    {
        if (appApiToken is not null)
        {
            app.DefaultRequestHeaders.Add(AppApiTokenOptions.Header, appApiToken);
        }

        var listed = await app.GetFromJsonAsync<List<DaprSubscription>>(DaprRoutes.Subscribe) ?? [];
        foreach (var subscription in listed)
        {
            var subscriber = new Subscriber(subscription.Topic, subscription.Route, app);
            subscribers.Add(subscriber);
            _ = Task.Run(() => PumpAsync(subscriber));
        }
    }

    private Task OnPublishedAsync(PublishedEvent published)
    {
        foreach (var subscriber in subscribers.Where(s => s.Topic == published.Topic))
        {
            subscriber.Queue.Writer.TryWrite(published);
            if (DeliverTwice)
            {
                subscriber.Queue.Writer.TryWrite(published);
            }
        }

        return Task.CompletedTask;
    }

    private async Task PumpAsync(Subscriber subscriber)
    {
        try
        {
            await foreach (var published in subscriber.Queue.Reader.ReadAllAsync(stopping.Token))
            {
                using var content = new ByteArrayContent(published.CloudEvent);
                content.Headers.ContentType = new MediaTypeHeaderValue(CloudEvents.MediaType);
                using var response = await subscriber.App.PostAsync(subscriber.Route, content, stopping.Token);
                var status = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<TopicStatus>(stopping.Token))?.Status : null;
                if (status == TopicStatus.Success.Status)
                {
                    delivered.AddOrUpdate(published.Topic, 1, (_, n) => n + 1);
                }
                else
                {
                    DeliveryFailures.Enqueue($"{published.Topic} -> {subscriber.Route}: {(int)response.StatusCode} {status}");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Gateway1.DisposeAsync();
        await Gateway2.DisposeAsync();
        await Push.DisposeAsync();
        if (Media is not null)
        {
            await Media.DisposeAsync();
        }

        await Messages.DisposeAsync();
        Sidecar.Dispose();
        mediaDirectory?.Dispose();
    }

    private sealed record Subscriber(string Topic, string Route, HttpClient App)
    {
        public Channel<PublishedEvent> Queue { get; } = Channel.CreateUnbounded<PublishedEvent>(new UnboundedChannelOptions { SingleReader = true });
    }
}
