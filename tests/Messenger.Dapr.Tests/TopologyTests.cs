using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Dapr.Tests.Infrastructure;

namespace Messenger.Dapr.Tests;

/// <summary>Gateway x2 + messages + push in one process, through the fake sidecar, over real WebSockets.</summary>
public sealed class TopologyTests : IAsyncLifetime
{
    private Topology topology = null!;

    public async Task InitializeAsync() => topology = await Topology.StartAsync();

    public async Task DisposeAsync() => await topology.DisposeAsync();

    [Fact]
    public async Task Message_from_a_user_on_gateway_1_reaches_a_user_on_gateway_2_with_receipts_back()
    {
        var alice = await topology.RegisterAsync("alice");
        var bob = await topology.RegisterAsync("bob");
        var conversationId = await CreateAsync(alice.Token, "direct", bob.UserId);
        await using var aliceSocket = await topology.Gateway1.Server.ConnectWsAsync(alice.Token);

        // Presence is told to the contacts online when it changes: alice must be registered (a frame of hers handled)
        // before bob comes online, or his presence can go out before she is there to get it.
        await aliceSocket.RoundTripAsync();
        await using var bobSocket = await topology.Gateway2.Server.ConnectWsAsync(bob.Token);
        await aliceSocket.WaitForTypeAsync("presence", f => (string?)f["userId"] == bob.UserId && (bool)f["online"]!);

        await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = "c-1", text = "hello from gateway 1" });
        var sent = await aliceSocket.WaitForTypeAsync("sent");
        var message = await bobSocket.WaitForTypeAsync("message");

        Assert.Equal(1, (long)sent["seq"]!);
        Assert.Equal("hello from gateway 1", (string?)message["message"]!["text"]);
        Assert.Equal((string?)sent["messageId"], (string?)message["message"]!["messageId"]);

        await bobSocket.SendAsync(new { type = "read", conversationId, seq = 1 });
        var receipt = await aliceSocket.WaitForTypeAsync("receipt");
        Assert.Equal(bob.UserId, (string?)receipt["userId"]);
        Assert.Equal(1, (long)receipt["readSeq"]!);
        Assert.Equal(1, (long)receipt["deliveredSeq"]!);
    }

    [Fact]
    public async Task Repeated_clientMessageId_gets_the_same_sent_and_stores_nothing_new()
    {
        var alice = await topology.RegisterAsync("alice");
        var bob = await topology.RegisterAsync("bob");
        var conversationId = await CreateAsync(alice.Token, "direct", bob.UserId);
        await using var aliceSocket = await topology.Gateway1.Server.ConnectWsAsync(alice.Token);
        await using var bobSocket = await topology.Gateway2.Server.ConnectWsAsync(bob.Token);

        await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = "same", text = "once" });
        var first = await aliceSocket.WaitForTypeAsync("sent");
        await bobSocket.WaitForTypeAsync("message");
        await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = "same", text = "once" });
        var second = await aliceSocket.WaitForTypeAsync("sent");

        Assert.Equal((string?)first["messageId"], (string?)second["messageId"]);
        Assert.Equal((long)first["seq"]!, (long)second["seq"]!);
        Assert.DoesNotContain(await bobSocket.DrainAsync(), f => (string?)f["type"] == "message");
        using var http = topology.MessagesAs(bob.Token);
        var history = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
        Assert.Single(history!["messages"]!.AsArray());
    }

    [Fact]
    public async Task A_client_message_id_the_state_store_could_not_key_is_a_bad_request_over_both_transports_and_stores_nothing()
    {
        // daprd refuses a state key holding "||", and the clientMessageId is part of one: the id is refused first.
        var alice = await topology.RegisterAsync("alice");
        var bob = await topology.RegisterAsync("bob");
        var conversationId = await CreateAsync(alice.Token, "direct", bob.UserId);
        await using var aliceSocket = await topology.Gateway1.Server.ConnectWsAsync(alice.Token);

        await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = "a||b", text = "over the socket" });
        var error = await aliceSocket.WaitForTypeAsync("error");
        using var http = topology.MessagesAs(alice.Token);
        using var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { clientMessageId = "a||b", text = "over http" });

        Assert.Equal("bad_request", (string?)error["code"]);
        Assert.Equal("a||b", (string?)error["ref"]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        var history = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
        Assert.Empty(history!["messages"]!.AsArray());
        Assert.DoesNotContain(topology.Dapr.Keys(DaprNames.StateStore), k => k.Contains(":client:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Member_with_no_connection_gets_a_push_through_the_push_app()
    {
        var alice = await topology.RegisterAsync("alice");
        var carol = await topology.RegisterAsync("carol");
        using (var push = topology.PushAs(carol.Token))
        {
            var registered = await push.PostAsJsonAsync("/api/devices", new { token = "carol-phone-token", platform = "android" });
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        }

        var conversationId = await CreateAsync(alice.Token, "group", carol.UserId, "plans");
        await using var aliceSocket = await topology.Gateway1.Server.ConnectWsAsync(alice.Token);
        await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = "p-1", text = "are you there?" });
        await aliceSocket.WaitForTypeAsync("sent");

        await Eventually.HoldsAsync(() => !topology.PushSender.Sent.IsEmpty, "a push to carol's device", TestSettings.Timeout);
        var notification = Assert.Single(topology.PushSender.Sent);
        Assert.Equal("carol-phone-token", notification.DeviceToken);
        Assert.Contains("are you there?", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_senders_over_http_get_gap_free_seqs_and_history_is_ascending()
    {
        var owner = await topology.RegisterAsync("owner");
        var members = new List<(string UserId, string Token)>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await topology.RegisterAsync($"member{i}"));
        }

        var conversationId = await CreateAsync(owner.Token, "group", null, "busy", members.Select(m => m.UserId).ToArray());
        var sends = members.SelectMany(m => Enumerable.Range(0, 4).Select(async n =>
        {
            using var http = topology.MessagesAs(m.Token);
            var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { clientMessageId = $"{m.UserId}-{n}", text = $"n{n}" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["seq"]!;
        }));
        var seqs = await Task.WhenAll(sends);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seqs.Order());
        using var reader = topology.MessagesAs(owner.Token);
        var page = await reader.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages?afterSeq=5&limit=10");
        Assert.Equal(Enumerable.Range(6, 10).Select(i => (long)i), page!["messages"]!.AsArray().Select(m => (long)m!["seq"]!));
        var list = await reader.GetFromJsonAsync<JsonArray>("/api/conversations");
        var summary = Assert.Single(list!);
        Assert.Equal(20, (long)summary!["lastSeq"]!);
        Assert.Equal(20, (long)summary["unreadCount"]!);
    }

    [Fact]
    public async Task Events_delivered_twice_reach_each_client_and_device_once()
    {
        topology.DeliverTwice = true;
        var alice = await topology.RegisterAsync("alice");
        var bob = await topology.RegisterAsync("bob");
        var dave = await topology.RegisterAsync("dave");
        using (var push = topology.PushAs(dave.Token))
        {
            await push.PostAsJsonAsync("/api/devices", new { token = "dave-token", platform = "ios" });
        }

        var conversationId = await CreateAsync(alice.Token, "group", null, "twice", bob.UserId, dave.UserId);
        await using var aliceSocket = await topology.Gateway1.Server.ConnectWsAsync(alice.Token);
        await using var bobSocket = await topology.Gateway2.Server.ConnectWsAsync(bob.Token);
        for (var i = 1; i <= 3; i++)
        {
            await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = $"t-{i}", text = $"message {i}" });
            await aliceSocket.WaitForTypeAsync("sent", f => (long)f["seq"]! == i);
        }

        await bobSocket.WaitForTypeAsync("message", f => (long)f["message"]!["seq"]! == 3);
        await Eventually.HoldsAsync(
            () => topology.DeliveredCount("gateway.gateway-2") == 2 * topology.Dapr.Published.Count(p => p.Topic == "gateway.gateway-2"),
            "every copy delivered to gateway 2", TestSettings.Timeout);
        await bobSocket.RoundTripAsync();
        var frames = bobSocket.Received.Where(f => (string?)f["type"] == "message").ToList();
        Assert.Equal([1L, 2L, 3L], frames.Select(f => (long)f["message"]!["seq"]!));
        await Eventually.HoldsAsync(() => topology.PushSender.Sent.Any(n => n.DeviceToken == "dave-token"), "dave's push", TestSettings.Timeout);
        Assert.Empty(topology.DeliveryFailures);
    }

    private async Task<string> CreateAsync(string token, string type, string? other, string? title = null, params string[] more)
    {
        using var http = topology.MessagesAs(token);
        var memberIds = (other is null ? more : [other, .. more]).ToArray();
        var response = await http.PostAsJsonAsync("/api/conversations", new { type, title, memberIds });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!;
    }
}
