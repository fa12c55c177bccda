using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Protocol;
using Messenger.Dapr.Subscriptions;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Gateway;
using Messenger.Hosting;
using Messenger.Messages.Contracts;
using Messenger.Push;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;

namespace Messenger.Dapr.Tests;

/// <summary>Each app's pub/sub surface through WebApplicationFactory: what it tells the sidecar and what a CloudEvent does.</summary>
public sealed class SubscriptionEndpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Gateway_subscribes_to_exactly_its_own_two_topics_with_the_dead_letter_topic()
    {
        await using var gateway = Gateway("gateway-7", new InMemoryDapr());

        var listed = await gateway.CreateClient().GetFromJsonAsync<List<DaprSubscription>>(DaprRoutes.Subscribe);

        Assert.Equal(
            [
                new DaprSubscription(DaprNames.PubSub, "gateway.gateway-7", DaprRoutes.For(GatewayServiceExtensions.DeliverySubscription), Topics.DeadLetter),
                new DaprSubscription(DaprNames.PubSub, "gateway.gateway-7.sessions", DaprRoutes.For(GatewayServiceExtensions.SessionsSubscription), Topics.DeadLetter),
            ],
            listed);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.CreateClient().GetAsync("/dapr/config")).StatusCode);
    }

    [Fact]
    public async Task Push_subscribes_to_exactly_push_requests()
    {
        await using var push = Push(new InMemoryDapr(), new RecordingPushSender());

        var listed = await push.CreateClient().GetFromJsonAsync<List<DaprSubscription>>(DaprRoutes.Subscribe);

        Assert.Equal([new DaprSubscription(DaprNames.PubSub, Topics.PushRequests, DaprRoutes.For(Topics.PushRequests), Topics.DeadLetter)], listed);
    }

    [Fact]
    public async Task Messages_hosts_the_conversation_actor_and_subscribes_only_to_dead_letters()
    {
        await using var messages = new DaprAppFactory<MessagesProgram>(dapr: new InMemoryDapr());
        var client = messages.CreateClient();

        var listed = await client.GetFromJsonAsync<List<DaprSubscription>>(DaprRoutes.Subscribe);
        var config = await client.GetFromJsonAsync<JsonObject>("/dapr/config");

        Assert.Equal([new DaprSubscription(DaprNames.PubSub, Topics.DeadLetter, DaprRoutes.DeadLetters, null)], listed);
        Assert.Equal([DaprNames.ConversationActorType], config!["entities"]!.AsArray().Select(e => (string?)e));
        Assert.DoesNotContain("deadLetterTopic", await client.GetStringAsync(DaprRoutes.Subscribe), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_cloud_event_reaches_the_connection_once_when_delivered_twice()
    {
        var dapr = new InMemoryDapr();
        await using var gateway = Gateway("gateway-1", dapr);
        var token = await gateway.Services.GetRequiredService<SessionService>().StartAsync(new User("u_bob", "bob", "Bob", "x", Now), default);
        await using var bob = await gateway.Server.ConnectWsAsync(token);
        await bob.DrainAsync();
        var message = new Message("m_1", "c_1", 1, "u_alice", "cm-1", "hi bob", null, Now);
        var delivery = CloudEvents.Wrap(DaprNames.PubSub, "gateway.gateway-1",
            JsonSerializer.SerializeToUtf8Bytes(new DeliveryRequested(["u_bob"], null, new MessageFrame(message)), DaprJson.Options));

        var first = await PostAsync(gateway.CreateClient(), DaprRoutes.For(GatewayServiceExtensions.DeliverySubscription), delivery.CloudEvent);
        var second = await PostAsync(gateway.CreateClient(), DaprRoutes.For(GatewayServiceExtensions.DeliverySubscription), delivery.CloudEvent);
        var frames = await bob.DrainAsync();

        Assert.Equal("SUCCESS", first);
        Assert.Equal("SUCCESS", second);
        var frame = Assert.Single(frames, f => (string?)f["type"] == "message");
        Assert.Equal("hi bob", (string?)frame["message"]!["text"]);
    }

    [Fact]
    public async Task Logout_on_the_messages_app_publishes_the_end_of_the_session_to_the_session_topic_of_each_gateway_holding_the_user()
    {
        var dapr = new InMemoryDapr();
        await using var messages = new DaprAppFactory<MessagesProgram>(dapr: dapr);
        var token = await messages.Services.GetRequiredService<SessionService>().StartAsync(new User("u_dora", "dora", "Dora", "x", Now), default);
        var presence = messages.Services.GetRequiredService<IPresenceDirectory>();
        await presence.RenewAsync("gateway-3", default);
        await presence.ConnectAsync("u_dora", "gateway-3", "k_1", default);
        var client = messages.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/conversations")).StatusCode);

        var published = Assert.Single(dapr.Published, p => p.Topic == Topics.GatewaySessions("gateway-3"));
        var ended = JsonSerializer.Deserialize<SessionEnded>(published.Data, DaprJson.Options)!;
        Assert.Equal("u_dora", ended.UserId);
        Assert.StartsWith("s_", ended.SessionId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_ended_cloud_event_closes_that_sessions_socket_with_4001_and_leaves_the_users_other_session_open()
    {
        var dapr = new InMemoryDapr();
        await using var gateway = Gateway("gateway-1", dapr);
        var sessions = gateway.Services.GetRequiredService<SessionService>();
        var user = new User("u_erin", "erin", "Erin", "x", Now);
        var ending = await sessions.StartAsync(user, default);
        var other = await sessions.StartAsync(user, default);
        await using var endingWs = await gateway.Server.ConnectWsAsync(ending);
        await using var otherWs = await gateway.Server.ConnectWsAsync(other);
        await endingWs.RoundTripAsync();
        await otherWs.RoundTripAsync();
        var sessionId = SessionOf(ending);
        var ended = CloudEvents.Wrap(DaprNames.PubSub, Topics.GatewaySessions("gateway-1"),
            JsonSerializer.SerializeToUtf8Bytes(new SessionEnded("u_erin", sessionId), DaprJson.Options));

        Assert.Equal("SUCCESS", await PostAsync(gateway.CreateClient(), DaprRoutes.For(GatewayServiceExtensions.SessionsSubscription), ended.CloudEvent));

        await endingWs.Closed.WaitAsync(TestSettings.Timeout);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, endingWs.CloseStatus);
        await otherWs.RoundTripAsync();
    }

    [Fact]
    public async Task An_event_that_is_not_a_delivery_is_dropped_not_retried()
    {
        await using var gateway = Gateway("gateway-1", new InMemoryDapr());
        var junk = CloudEvents.Wrap(DaprNames.PubSub, "gateway.gateway-1", Encoding.UTF8.GetBytes("[1,2,3]"));

        Assert.Equal("DROP", await PostAsync(gateway.CreateClient(), DaprRoutes.For(GatewayServiceExtensions.DeliverySubscription), junk.CloudEvent));
    }

    [Fact]
    public async Task A_push_request_delivered_twice_pushes_once()
    {
        var dapr = new InMemoryDapr();
        var sender = new RecordingPushSender();
        await using var push = Push(dapr, sender);
        var token = await push.Services.GetRequiredService<SessionService>().StartAsync(new User("u_carol", "carol", "Carol", "x", Now), default);
        var client = push.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/devices", new { token = "carol-device", platform = "android" })).StatusCode);
        var request = CloudEvents.Wrap(DaprNames.PubSub, Topics.PushRequests, JsonSerializer.SerializeToUtf8Bytes(
            new PushRequested(["u_carol"], "c_1", ConversationType.Direct, null, "u_alice", "Alice", "m_1", 1, "hello", null), DaprJson.Options));

        Assert.Equal("SUCCESS", await PostAsync(push.CreateClient(), DaprRoutes.For(Topics.PushRequests), request.CloudEvent));
        Assert.Equal("SUCCESS", await PostAsync(push.CreateClient(), DaprRoutes.For(Topics.PushRequests), request.CloudEvent));

        var sent = Assert.Single(sender.Sent);
        Assert.Equal("carol-device", sent.DeviceToken);
    }

    [Fact]
    public async Task A_handler_that_fails_asks_the_broker_to_deliver_again()
    {
        var devices = new Mock<IDeviceStore>(MockBehavior.Strict);
        devices.Setup(d => d.ListAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("store down"));
        await using var push = Push(new InMemoryDapr(), new RecordingPushSender(), s => s.AddSingleton(devices.Object));
        var request = CloudEvents.Wrap(DaprNames.PubSub, Topics.PushRequests, JsonSerializer.SerializeToUtf8Bytes(
            new PushRequested(["u_carol"], "c_1", ConversationType.Direct, null, "u_alice", "Alice", "m_1", 1, "hello", null), DaprJson.Options));

        Assert.Equal("RETRY", await PostAsync(push.CreateClient(), DaprRoutes.For(Topics.PushRequests), request.CloudEvent));
    }

    [Fact]
    public async Task A_dead_letter_is_logged_as_an_error_with_its_event_id()
    {
        var logs = new CapturingLoggerProvider();
        await using var messages = new DaprAppFactory<MessagesProgram>(dapr: new InMemoryDapr(), services: s => s.AddSingleton<ILoggerProvider>(logs));
        var dead = CloudEvents.Wrap(DaprNames.PubSub, Topics.DeadLetter, Encoding.UTF8.GetBytes("{\"userIds\":[]}"), id: "event-42");

        Assert.Equal("SUCCESS", await PostAsync(messages.CreateClient(), DaprRoutes.DeadLetters, dead.CloudEvent));

        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("event-42", StringComparison.Ordinal));
    }

    /// <summary>The session a token names (its <c>sid</c> claim).</summary>
    private static string SessionOf(string token) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).GetClaim(MessengerClaims.SessionId).Value;

    private static DaprAppFactory<GatewayProgram> Gateway(string instanceId, InMemoryDapr dapr, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(more ?? []) { ["Messenger:Gateway:InstanceId"] = instanceId };
        return new DaprAppFactory<GatewayProgram>(settings, dapr);
    }

    private static DaprAppFactory<PushProgram> Push(InMemoryDapr dapr, RecordingPushSender sender, Action<IServiceCollection>? more = null) =>
        new(new Dictionary<string, string> { ["Messenger:Push:Fcm:CollapseWindow"] = "00:00:00" }, dapr, services: s =>
        {
            s.AddSingleton<IPushSender>(sender);
            more?.Invoke(s);
        });

    private static async Task<string?> PostAsync(HttpClient client, string route, byte[] cloudEvent)
    {
        using var content = new ByteArrayContent(cloudEvent);
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEvents.MediaType);
        using var response = await client.PostAsync(route, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TopicStatus>())?.Status;
    }
}
