using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

/// <summary>Replies, reactions, edits and deletes over real sockets, Alice on gateway 1 and Bob on gateway 2.</summary>
public sealed class MessageChangeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Reply_reaction_edit_and_delete_reach_the_other_gateway_as_events_and_history_reads_back_the_fold()
    {
        var (alice, bob, chat) = await PairAsync();
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await using var bobWs = await Server.SecondGatewayApi.ConnectAsync(bob);
        await aliceWs.RoundTripAsync();
        await bobWs.RoundTripAsync();

        await aliceWs.SendMessageAsync(chat, "helo");
        await bobWs.WaitForAsync(f => Seq(f) == 1);
        var reply = await bobWs.StoreAsync(new JsonObject { ["type"] = "send", ["conversationId"] = chat, ["text"] = "hi!", ["replyTo"] = 1 });
        var react = await bobWs.StoreAsync(Change("react", chat, 1, ("emoji", "👍")));
        var edit = await aliceWs.StoreAsync(Change("edit", chat, 1, ("text", "hello")));

        Assert.Equal([2L, 3L, 4L], new[] { reply, react, edit }.Select(f => (long)f["seq"]!));
        var replied = await aliceWs.WaitForAsync(f => Seq(f) == 2);
        Assert.Equal("helo", (string?)replied["message"]!["replyPreview"]!["text"]);
        Assert.Equal(alice.UserId, (string?)replied["message"]!["replyPreview"]!["senderId"]);
        var reacted = await aliceWs.WaitForAsync(f => Seq(f) == 3);
        Assert.Equal("reaction", (string?)reacted["message"]!["kind"]);
        Assert.Equal("👍", (string?)reacted["message"]!["emoji"]);
        Assert.Equal(1, (long)reacted["message"]!["targetSeq"]!);
        var edited = await bobWs.WaitForAsync(f => Seq(f) == 4);
        Assert.Equal("edit", (string?)edited["message"]!["kind"]);
        Assert.Equal("hello", (string?)edited["message"]!["text"]);

        var history = await Server.Api.HistoryAsync(bob, chat);
        Assert.Equal(["message", "message", "reaction", "edit"], history.Select(m => (string?)m["kind"]));
        Assert.Equal("hello", (string?)history[0]["text"]);
        Assert.NotNull(history[0]["editedAt"]);
        Assert.Equal(bob.UserId, (string?)history[0]["reactions"]!["👍"]![0]);
        Assert.Equal("hello", (string?)history[1]["replyPreview"]!["text"]);
        Assert.Empty(history[1]["reactions"]!.AsObject());

        var delete = await aliceWs.StoreAsync(Change("delete", chat, 1));
        Assert.Equal("sent", (string?)delete["type"]);
        var deleted = await bobWs.WaitForAsync(f => Seq(f) == 5);
        Assert.Equal("delete", (string?)deleted["message"]!["kind"]);
        history = await Server.Api.HistoryAsync(alice, chat);
        Assert.True((bool)history[0]["deleted"]!);
        Assert.Null(history[0]["text"]);
        Assert.Empty(history[0]["reactions"]!.AsObject());
        Assert.True((bool)history[1]["replyPreview"]!["deleted"]!);
        Assert.Null(history[1]["replyPreview"]!["text"]);
    }

    [Fact]
    public async Task Sync_after_a_reconnect_brings_every_event_in_order()
    {
        var (alice, bob, chat) = await PairAsync();
        await using (var bobWs = await Server.SecondGatewayApi.ConnectAsync(bob))
        {
            await bobWs.RoundTripAsync();
            await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "m1", text = "first" });
            await bobWs.WaitForAsync(f => Seq(f) == 1);
            await bobWs.CloseAsync();
        }

        Assert.Equal(HttpStatusCode.Created, (await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "r1", emoji = "🎉" })).Status);
        var patched = await Server.Api.PatchAsync(alice, $"/api/conversations/{chat}/messages/1", new { clientMessageId = "e1", text = "first!" });
        Assert.True(patched.Status == HttpStatusCode.Created, patched.Body?.ToJsonString());
        var replied = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "m2", text = "second", replyTo = 1 });
        Assert.True(replied.Status == HttpStatusCode.Created, replied.Body?.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, (await Server.Api.DeleteIdempotentAsync(alice, $"/api/conversations/{chat}/messages/4", "d1")).Status);

        await using var again = await Server.SecondGatewayApi.ConnectAsync(bob);
        var synced = await again.SyncAsync(new Dictionary<string, long> { [chat] = 1 });

        var mine = synced.Where(m => (string?)m["conversationId"] == chat).ToList();
        Assert.Equal([2L, 3L, 4L, 5L], mine.Select(m => (long)m["seq"]!));
        Assert.Equal(["reaction", "edit", "message", "delete"], mine.Select(m => (string?)m["kind"]));
        Assert.Equal("first!", (string?)mine[1]["text"]);
    }

    [Fact]
    public async Task Http_changes_answer_201_then_200_with_the_same_event_for_a_repeated_client_message_id()
    {
        var (alice, bob, chat) = await PairAsync();
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "m1", text = "hi" });

        var first = await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "r1", emoji = "❤️" });
        var repeat = await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "r1", emoji = "❤️" });
        var removed = await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "r2", emoji = (string?)null });

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, repeat.Status);
        Assert.Equal((long)first.Body!["seq"]!, (long)repeat.Body!["seq"]!);
        Assert.Equal(HttpStatusCode.Created, removed.Status);
        var history = await Server.Api.HistoryAsync(alice, chat);
        Assert.Equal(3, history.Count);
        Assert.Empty(history[0]["reactions"]!.AsObject());

        using var http = Server.Api.Http(alice.Token);
        using var withBody = new HttpRequestMessage(HttpMethod.Delete, $"/api/conversations/{chat}/messages/1") { Content = JsonContent.Create(new { clientMessageId = "d1" }) };
        using var noKey = new HttpRequestMessage(HttpMethod.Delete, $"/api/conversations/{chat}/messages/1");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(noKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(withBody)).StatusCode);
        Assert.True((bool)(await Server.Api.HistoryAsync(bob, chat))[0]["deleted"]!);
    }

    [Fact]
    public async Task Bad_changes_get_their_error_over_http_and_websocket_and_store_nothing()
    {
        var (alice, bob, chat) = await PairAsync();
        var carol = await Server.Api.RegisterAsync();
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "m1", text = "mine" });
        await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "r1", emoji = "👍" });
        await using var bobWs = await Server.SecondGatewayApi.ConnectAsync(bob);

        await AssertRefusedAsync(await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/9/reactions", new { clientMessageId = "x1", emoji = "👍" }), HttpStatusCode.NotFound, "not_found");
        await AssertRefusedAsync(await Server.Api.PatchAsync(bob, $"/api/conversations/{chat}/messages/1", new { clientMessageId = "x2", text = "not yours" }), HttpStatusCode.Forbidden, "forbidden");
        await AssertRefusedAsync(await Server.Api.DeleteIdempotentAsync(bob, $"/api/conversations/{chat}/messages/1", "x3"), HttpStatusCode.Forbidden, "forbidden");
        await AssertRefusedAsync(await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "x4", emoji = "👍👎" }), HttpStatusCode.BadRequest, "bad_request");
        await AssertRefusedAsync(await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/2/reactions", new { clientMessageId = "x5", emoji = "👍" }), HttpStatusCode.BadRequest, "bad_request");
        await AssertRefusedAsync(await Server.Api.PostAsync(carol, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "x6", emoji = "👍" }), HttpStatusCode.NotFound, "not_found");
        await AssertRefusedAsync(await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages", new { clientMessageId = "x7", text = "re", replyTo = 2 }), HttpStatusCode.BadRequest, "bad_request");

        Assert.Equal("not_found", (string?)(await bobWs.StoreAsync(Change("react", chat, 9, ("emoji", "👍"))))["code"]);
        Assert.Equal("forbidden", (string?)(await bobWs.StoreAsync(Change("edit", chat, 1, ("text", "mine now"))))["code"]);
        Assert.Equal("forbidden", (string?)(await bobWs.StoreAsync(Change("delete", chat, 1)))["code"]);
        Assert.Equal("bad_request", (string?)(await bobWs.StoreAsync(Change("react", chat, 1, ("emoji", new string('x', 40)))))["code"]);
        Assert.Equal("bad_request", (string?)(await bobWs.StoreAsync(Change("react", chat, 2, ("emoji", "👍"))))["code"]);

        var history = await Server.Api.HistoryAsync(alice, chat);
        Assert.Equal(2, history.Count);
        Assert.Equal("mine", (string?)history[0]["text"]);
        Assert.Equal([bob.UserId], history[0]["reactions"]!["👍"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task Delete_for_me_hides_a_message_from_my_history_only_and_the_list_counts_only_messages()
    {
        var (alice, bob, chat) = await PairAsync();
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "m1", text = "one" });
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "m2", text = "two" });
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages/1/reactions", new { clientMessageId = "r1", emoji = "👍" });
        await Server.Api.PatchAsync(alice, $"/api/conversations/{chat}/messages/2", new { clientMessageId = "e1", text = "two, edited" });

        var (hideStatus, _) = await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/1/hide", null);
        var (missingStatus, _) = await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/messages/99/hide", null);

        Assert.Equal(HttpStatusCode.NoContent, hideStatus);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.DoesNotContain(await Server.Api.HistoryAsync(bob, chat), m => (long)m["seq"]! == 1);
        Assert.Contains(await Server.Api.HistoryAsync(alice, chat), m => (long)m["seq"]! == 1);
        var listed = (await Server.Api.ConversationsAsync(bob)).Single(c => (string?)c["conversationId"] == chat);
        Assert.Equal(2, (long)listed["unreadCount"]!);
        Assert.Equal("two, edited", (string?)listed["lastMessage"]!["text"]);
    }

    private async Task<(TestUser Alice, TestUser Bob, string Chat)> PairAsync()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        return (alice, bob, await Server.Api.DirectAsync(alice, bob));
    }

    private static long? Seq(JsonObject frame) =>
        WsClient.Type(frame) == "message" ? (long?)frame["message"]!["seq"] : null;

    private static JsonObject Change(string type, string conversationId, long targetSeq, params (string Name, string Value)[] fields)
    {
        var frame = new JsonObject { ["type"] = type, ["conversationId"] = conversationId, ["targetSeq"] = targetSeq };
        foreach (var (name, value) in fields)
        {
            frame[name] = value;
        }

        return frame;
    }

    private static Task AssertRefusedAsync((HttpStatusCode Status, JsonObject? Body) answer, HttpStatusCode status, string code)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, (string?)answer.Body!["code"]);
        return Task.CompletedTask;
    }
}
