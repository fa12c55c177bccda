using System.Net;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

/// <summary>Blocking over HTTP and WebSocket.</summary>
public sealed class BlockTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Block_and_unblock_are_idempotent_204s_and_the_list_follows()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync(displayName: "Bob");

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/users/{bob.UserId}/block", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/users/{bob.UserId}/block", null)).Status);
        var listed = await BlockedAsync(alice);
        Assert.Equal([(bob.UserId, bob.Username, "Bob")], listed);
        Assert.Empty(await BlockedAsync(bob));

        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(alice, $"/api/users/{bob.UserId}/block"));
        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(alice, $"/api/users/{bob.UserId}/block"));
        Assert.Empty(await BlockedAsync(alice));
    }

    [Fact]
    public async Task Blocking_oneself_an_unknown_or_a_malformed_id_is_refused_and_stores_nothing()
    {
        var alice = await Server.Api.RegisterAsync();

        var self = await Server.Api.PostAsync(alice, $"/api/users/{alice.UserId}/block", null);
        var unknown = await Server.Api.PostAsync(alice, "/api/users/u_00000000/block", null);
        var malformed = await Server.Api.PostAsync(alice, "/api/users/..%2Fx/block", null);

        Assert.Equal((HttpStatusCode.BadRequest, "bad_request"), (self.Status, (string?)self.Body!["code"]));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.Status, (string?)unknown.Body!["code"]));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.PostAsync(null, $"/api/users/{alice.UserId}/block", null)).Status);
        Assert.Empty(await BlockedAsync(alice));
    }

    [Fact]
    public async Task A_blocked_user_cannot_start_a_direct_conversation_with_the_blocker()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        await Server.Api.PostAsync(alice, $"/api/users/{bob.UserId}/block", null);

        var (status, body) = await Server.Api.PostAsync(bob, "/api/conversations", new { type = "direct", memberIds = new[] { alice.UserId } });

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (status, (string?)body!["code"]));
        Assert.Empty(await Server.Api.ConversationsAsync(bob));
        Assert.Empty(await Server.Api.ConversationsAsync(alice));
    }

    [Fact]
    public async Task A_blocked_user_cannot_add_the_blocker_to_a_group_nor_create_one_with_them()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        await Server.Api.PostAsync(alice, $"/api/users/{bob.UserId}/block", null);
        var group = await Server.Api.GroupAsync(bob, carol);

        var add = await Server.Api.PostAsync(bob, $"/api/conversations/{group}/members", new { userId = alice.UserId });
        var create = await Server.Api.PostAsync(bob, "/api/conversations", new { type = "group", title = "Trap", memberIds = new[] { carol.UserId, alice.UserId } });

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (add.Status, (string?)add.Body!["code"]));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (create.Status, (string?)create.Body!["code"]));
        Assert.Empty(await Server.Api.ConversationsAsync(alice));

        // Others may still add her, and she may add him.
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(bob, $"/api/conversations/{group}/admins", new { userId = carol.UserId })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(carol, $"/api/conversations/{group}/members", new { userId = alice.UserId })).Status);
    }

    [Fact]
    public async Task In_an_existing_direct_conversation_neither_side_can_send_while_blocked_over_http_or_websocket_until_the_unblock()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(bob, alice);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        Assert.Equal("sent", WsClient.Type(await bobWs.SendMessageAsync(chat, "before")));
        await aliceWs.WaitForTypeAsync("message");
        await aliceWs.DrainAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/users/{bob.UserId}/block", null)).Status);
        var overHttp = await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages", new { clientMessageId = "h1", text = "let me in" });
        var overWs = await bobWs.SendMessageAsync(chat, "let me in", "w1");
        var byBlocker = await aliceWs.SendMessageAsync(chat, "but I can?", "w2");
        var typing = await SendTypingAsync(bobWs, chat);

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (overHttp.Status, (string?)overHttp.Body!["code"]));
        Assert.Equal(("error", "forbidden", "w1"), (WsClient.Type(overWs), (string?)overWs["code"], (string?)overWs["ref"]));
        Assert.Equal(("error", "forbidden"), (WsClient.Type(byBlocker), (string?)byBlocker["code"]));
        Assert.Equal("forbidden", (string?)typing["code"]);
        Assert.Equal(["before"], (await Server.Api.HistoryAsync(alice, chat)).Select(m => (string?)m["text"]));
        await aliceWs.AssertNoneAsync(f => WsClient.Type(f) == "message");

        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(alice, $"/api/users/{bob.UserId}/block"));
        Assert.Equal("sent", WsClient.Type(await bobWs.SendMessageAsync(chat, "friends again", "w1")));
        Assert.Equal(2, (await Server.Api.HistoryAsync(alice, chat)).Count);
    }

    [Fact]
    public async Task A_block_made_before_the_conversation_holds_once_the_blocker_opens_it()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        await Server.Api.PostAsync(alice, $"/api/users/{bob.UserId}/block", null);

        var chat = await Server.Api.DirectAsync(alice, bob);
        var refused = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "a1", text = "hi" });
        var refusedToo = await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages", new { clientMessageId = "b1", text = "hi" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.Forbidden, refusedToo.Status);
        Assert.Empty(await Server.Api.HistoryAsync(bob, chat));
    }

    [Fact]
    public async Task Both_blocking_each_other_stay_blocked_until_both_unblock()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await Server.Api.PostAsync(alice, $"/api/users/{bob.UserId}/block", null);
        await Server.Api.PostAsync(bob, $"/api/users/{alice.UserId}/block", null);

        await Server.Api.DeleteAsync(alice, $"/api/users/{bob.UserId}/block");
        var still = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "a1", text = "hi" });
        await Server.Api.DeleteAsync(bob, $"/api/users/{alice.UserId}/block");
        var free = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "a1", text = "hi" });

        Assert.Equal(HttpStatusCode.Forbidden, still.Status);
        Assert.Equal(HttpStatusCode.Created, free.Status);
    }

    private async Task<List<(string UserId, string Username, string DisplayName)>> BlockedAsync(TestUser user)
    {
        using var http = Server.CreateHttpClient(user.Token);
        var list = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(http, "/api/users/me/blocked");
        return list!.Select(u => ((string)u!["userId"]!, (string)u["username"]!, (string)u["displayName"]!)).ToList();
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> SendTypingAsync(WsClient ws, string conversationId)
    {
        await ws.SendAsync(new { type = "typing", conversationId });
        return await ws.WaitForTypeAsync("error");
    }
}
