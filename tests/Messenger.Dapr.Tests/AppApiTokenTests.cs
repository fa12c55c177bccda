using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.Actors;
using Dapr.Actors.Client;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Messenger.Dapr.Actors;
using Messenger.Dapr.Security;
using Messenger.Dapr.Subscriptions;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Gateway;
using Messenger.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Tests;

/// <summary>
/// Only the sidecar reaches /dapr/*, the subscription routes and /actors/*: it sends the app API token, anyone else
/// gets 401 and changes nothing. Production does not start without a token.
/// </summary>
public sealed class AppApiTokenTests
{
    private const string Token = "sidecar-secret";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string?> Refused => new() { null, string.Empty, "wrong", Token + " ", Token.ToUpperInvariant() };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_delivery_without_the_token_is_refused_and_reaches_no_socket(string? header)
    {
        await using var gateway = Gateway(new Dictionary<string, string> { [AppApiTokenOptions.ConfigurationKey] = Token });
        var token = await gateway.Services.GetRequiredService<SessionService>().StartAsync(new User("u_bob", "bob", "Bob", "x", Now), default);
        await using var bob = await gateway.Server.ConnectWsAsync(token);
        await bob.DrainAsync();
        var route = DaprRoutes.For(GatewayServiceExtensions.DeliverySubscription);
        var client = WithHeader(gateway.CreateClient(), header);

        // Both shapes the route reads: plain JSON (a raw payload) and a CloudEvent.
        using var plain = await client.PostAsync(route, Json(Delivery("u_bob", "forged plain")));
        using var wrapped = await client.PostAsync(route, CloudEvent(Delivery("u_bob", "forged cloud event")));
        using var legit = await WithHeader(gateway.CreateClient(), Token).PostAsync(route, CloudEvent(Delivery("u_bob", "from the sidecar")));

        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrapped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, legit.StatusCode);
        var first = await bob.WaitForTypeAsync("message");
        Assert.Equal("from the sidecar", (string?)first["message"]!["text"]);
        Assert.DoesNotContain(await bob.DrainAsync(), f => (string?)f["type"] == "message");
        Assert.Single(bob.Received, f => (string?)f["type"] == "message");
    }

    [Theory]
    [InlineData("/dapr/subscribe")]
    [InlineData("/dapr/config")]
    [InlineData("/DAPR/config")]
    [InlineData("//dapr/config")]
    [InlineData("/dapr/config/")]
    public async Task The_sidecar_s_configuration_routes_need_the_token(string path)
    {
        await using var messages = new DaprAppFactory<MessagesProgram>(
            new Dictionary<string, string> { [AppApiTokenOptions.ConfigurationKey] = Token }, new InMemoryDapr());

        // An absolute address: "//dapr/config" relative to the base address would name a host.
        var address = new Uri("http://localhost" + path);
        Assert.Equal(HttpStatusCode.Unauthorized, (await messages.CreateClient().GetAsync(address)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithHeader(messages.CreateClient(), "wrong").GetAsync(address)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await WithHeader(messages.CreateClient(), Token).GetAsync(address)).StatusCode);
    }

    [Fact]
    public async Task With_the_token_the_sidecar_reads_the_subscriptions_and_the_actor_config_and_health_stays_open()
    {
        await using var messages = new DaprAppFactory<MessagesProgram>(
            new Dictionary<string, string> { [AppApiTokenOptions.ConfigurationKey] = Token }, new InMemoryDapr());
        var sidecar = WithHeader(messages.CreateClient(), Token);

        var listed = await sidecar.GetFromJsonAsync<List<DaprSubscription>>(DaprRoutes.Subscribe);
        var config = await sidecar.GetFromJsonAsync<JsonObject>("/dapr/config");

        Assert.Equal([DaprRoutes.DeadLetters], listed!.Select(s => s.Route));
        Assert.Equal([DaprNames.ConversationActorType], config!["entities"]!.AsArray().Select(e => (string?)e));
        Assert.Equal(HttpStatusCode.OK, (await messages.CreateClient().GetAsync(HostingExtensions.HealthPath)).StatusCode);
    }

    [Fact]
    public async Task An_actor_call_without_the_token_is_refused_and_the_conversation_is_unchanged()
    {
        await using var topology = await Topology.StartAsync(appApiToken: Token);
        var alice = await topology.RegisterAsync("alice");
        var bob = await topology.RegisterAsync("bob");
        string conversationId;
        using (var http = topology.MessagesAs(alice.Token))
        {
            var created = await http.PostAsJsonAsync("/api/conversations", new { type = "direct", memberIds = new[] { bob.UserId } });
            conversationId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!;
        }

        await using var aliceSocket = await topology.Gateway1.Server.ConnectWsAsync(alice.Token);
        await using var bobSocket = await topology.Gateway2.Server.ConnectWsAsync(bob.Token);
        await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = "c-1", text = "real" });
        await aliceSocket.WaitForTypeAsync("sent");
        await bobSocket.WaitForTypeAsync("message");

        // Someone who can reach the messages app calls the actor as alice: through the SDK's own proxy, and by hand.
        foreach (var header in new[] { null, "wrong" })
        {
            using var forger = new ActorSidecar(header);
            forger.HostedBy(topology.Messages.Server.CreateHandler());
            var proxy = new ActorProxyFactory(
                new ActorProxyOptions { UseJsonSerialization = true, JsonSerializerOptions = DaprJson.Options, HttpEndpoint = "http://sidecar" }, forger)
                .CreateActorProxy<IConversationActor>(new ActorId(conversationId), DaprNames.ConversationActorType);
            await Assert.ThrowsAnyAsync<Exception>(() => proxy.AppendAsync(new MessageDraft(alice.UserId, "forged", "forged", null), CancellationToken.None));
            Assert.Equal([HttpStatusCode.Unauthorized], forger.Answers);
        }

        using var byHand = new HttpRequestMessage(HttpMethod.Put, $"/actors/{DaprNames.ConversationActorType}/{conversationId}/method/{nameof(IConversationActor.AppendAsync)}")
        {
            Content = Json(new MessageDraft(alice.UserId, "forged-2", "forged", null)),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await topology.Messages.CreateClient().SendAsync(byHand)).StatusCode);
        using var deactivate = new HttpRequestMessage(HttpMethod.Delete, $"/actors/{DaprNames.ConversationActorType}/{conversationId}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await topology.Messages.CreateClient().SendAsync(deactivate)).StatusCode);

        using var bobHttp = topology.MessagesAs(bob.Token);
        var history = await bobHttp.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
        Assert.Equal(["real"], history!["messages"]!.AsArray().Select(m => (string?)m!["text"]));
        Assert.DoesNotContain(await bobSocket.DrainAsync(), f => (string?)f["type"] == "message");
        Assert.Empty(topology.DeliveryFailures);
    }

    [Fact]
    public async Task Production_without_a_token_refuses_to_start_with_a_clear_error()
    {
        await using var gateway = Gateway(environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(error.GetBaseException());
        Assert.Contains(AppApiTokenOptions.ConfigurationKey, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_with_a_token_starts_and_guards_the_sidecar_s_routes()
    {
        await using var gateway = Gateway(new Dictionary<string, string> { [AppApiTokenOptions.ConfigurationKey] = Token }, "Production");

        Assert.Equal(HttpStatusCode.OK, (await gateway.CreateClient().GetAsync(HostingExtensions.HealthPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.CreateClient().GetAsync(DaprRoutes.Subscribe)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithHeader(gateway.CreateClient(), Token).GetAsync(DaprRoutes.Subscribe)).StatusCode);
    }

    [Fact]
    public async Task Without_a_token_outside_production_the_routes_stay_open_and_that_is_warned_about_once()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = new DaprAppFactory<GatewayProgram>(
            new Dictionary<string, string> { ["Messenger:Gateway:InstanceId"] = "gateway-1" }, new InMemoryDapr(),
            services: s => s.AddSingleton<ILoggerProvider>(logs), environment: "Development");

        Assert.Equal(HttpStatusCode.OK, (await gateway.CreateClient().GetAsync(DaprRoutes.Subscribe)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.CreateClient().GetAsync(DaprRoutes.Subscribe)).StatusCode);

        Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains(AppApiTokenOptions.ConfigurationKey, StringComparison.Ordinal));
    }

    private static DaprAppFactory<GatewayProgram> Gateway(Dictionary<string, string>? more = null, string environment = "Testing") =>
        new(new Dictionary<string, string>(more ?? []) { ["Messenger:Gateway:InstanceId"] = "gateway-1" }, new InMemoryDapr(), environment: environment);

    private static DeliveryRequested Delivery(string userId, string text) =>
        new([userId], null, new MessageFrame(new Message("m_" + text.Length, "c_1", text.Length, "u_alice", "cm-" + text.Length, text, null, Now)));

    private static HttpClient WithHeader(HttpClient client, string? token)
    {
        if (token is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(AppApiTokenOptions.Header, token);
        }

        return client;
    }

    private static ByteArrayContent Json<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, DaprJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static ByteArrayContent CloudEvent<T>(T value)
    {
        var content = new ByteArrayContent(CloudEvents.Wrap(DaprNames.PubSub, "gateway.gateway-1", JsonSerializer.SerializeToUtf8Bytes(value, DaprJson.Options)).CloudEvent);
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEvents.MediaType);
        return content;
    }
}
