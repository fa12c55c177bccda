using System.Net;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class ConversationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] UnknownUser = ["u_0000"];
    private static readonly string[] PathAsUserId = ["../etc/passwd"];

    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Direct_conversation_for_the_same_pair_is_created_once()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var (created, first) = await Server.Api.PostAsync(alice, "/api/conversations", new { type = "direct", memberIds = new[] { bob.UserId } });
        Assert.Equal(HttpStatusCode.Created, created);
        var (again, second) = await Server.Api.PostAsync(bob, "/api/conversations", new { type = "direct", memberIds = new[] { alice.UserId } });
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal((string?)first!["conversationId"], (string?)second!["conversationId"]);
        Assert.Equal("direct", (string?)first["type"]);
        Assert.Equal(new[] { alice.UserId, bob.UserId }.Order(), first["memberIds"]!.AsArray().Select(m => (string)m!).Order());
        Assert.Equal(0, (long)first["lastSeq"]!);
        Assert.Equal(0, (long)first["unreadCount"]!);
        Assert.NotNull(first["createdAt"]);
    }

    [Fact]
    public async Task Direct_conversation_with_no_one_or_an_unknown_user_is_refused()
    {
        var alice = await Server.Api.RegisterAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.PostAsync(alice, "/api/conversations", new { type = "direct", memberIds = new[] { alice.UserId } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.PostAsync(alice, "/api/conversations", new { type = "direct", memberIds = UnknownUser })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.PostAsync(alice, "/api/conversations", new { type = "channel", memberIds = Array.Empty<string>() })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.PostAsync(alice, "/api/conversations", new { type = "direct", memberIds = PathAsUserId })).Status);
        Assert.Empty(await Server.Api.ConversationsAsync(alice));
    }

    [Fact]
    public async Task Conversations_are_listed_most_recent_activity_first_with_last_message_and_unread_count()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var withBob = await Server.Api.DirectAsync(alice, bob);
        var withCarol = await Server.Api.DirectAsync(alice, carol);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await bobWs.SendMessageAsync(withBob, "hello alice");
        await bobWs.SendMessageAsync(withBob, "are you there?");

        var list = await Server.Api.ConversationsAsync(alice);
        Assert.Equal([withBob, withCarol], list.Select(c => (string)c["conversationId"]!).ToArray());
        Assert.Equal("are you there?", (string?)list[0]["lastMessage"]!["text"]);
        Assert.Equal(2, (long)list[0]["unreadCount"]!);
        Assert.Equal(0, (long)(await Server.Api.ConversationsAsync(bob)).Single(c => (string?)c["conversationId"] == withBob)["unreadCount"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/conversations/{withBob}/read", new { seq = 1 })).Status);
        Assert.Equal(1, (long)(await Server.Api.ConversationsAsync(alice))[0]["unreadCount"]!);
    }

    [Fact]
    public async Task Adding_a_member_to_a_direct_conversation_is_400()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var direct = await Server.Api.DirectAsync(alice, bob);
        var (status, body) = await Server.Api.PostAsync(alice, $"/api/conversations/{direct}/members", new { userId = carol.UserId });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", (string?)body!["code"]);
    }

    [Fact]
    public async Task An_added_member_sees_the_whole_history_and_gets_a_conversation_frame()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob);
        await using (var aliceWs = await Server.Api.ConnectAsync(alice))
        {
            await aliceWs.SendMessageAsync(group, "before carol");
        }

        await using var carolWs = await Server.Api.ConnectAsync(carol);
        await carolWs.RoundTripAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/conversations/{group}/members", new { userId = carol.UserId })).Status);
        var frame = await carolWs.WaitForTypeAsync("conversation");
        Assert.Equal(group, (string?)frame["conversation"]!["conversationId"]);
        Assert.Contains(carol.UserId, frame["conversation"]!["memberIds"]!.AsArray().Select(m => (string)m!));
        var history = await Server.Api.HistoryAsync(carol, group);
        Assert.Equal("before carol", (string?)history.Single()["text"]);
    }

    [Fact]
    public async Task A_removed_member_loses_history_live_messages_and_sending()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await bobWs.RoundTripAsync();

        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(alice, $"/api/conversations/{group}/members/{bob.UserId}"));
        await bobWs.WaitForTypeAsync("conversationRemoved");
        await aliceWs.SendMessageAsync(group, "bob cannot see this");
        await bobWs.AssertNoneAsync(f => WsClient.Type(f) == "message");
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.GetAsync(bob, $"/api/conversations/{group}/messages")).Status);
        var refused = await bobWs.SendMessageAsync(group, "let me in");
        Assert.Equal("not_found", (string?)refused["code"]);
        Assert.DoesNotContain(await Server.Api.ConversationsAsync(bob), c => (string?)c["conversationId"] == group);
    }

    [Fact]
    public async Task Only_an_admin_removes_others_and_anyone_may_leave()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob, carol);
        Assert.Equal(HttpStatusCode.Forbidden, await Server.Api.DeleteAsync(bob, $"/api/conversations/{group}/members/{carol.UserId}"));
        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(bob, $"/api/conversations/{group}/members/{bob.UserId}"));
        Assert.Equal(HttpStatusCode.NotFound, await Server.Api.DeleteAsync(bob, $"/api/conversations/{group}/members/{carol.UserId}"));
        var members = (await Server.Api.ConversationsAsync(alice)).Single(c => (string?)c["conversationId"] == group)["memberIds"]!.AsArray().Select(m => (string)m!);
        Assert.Equal(new[] { alice.UserId, carol.UserId }.Order(), members.Order());
    }

    [Fact]
    public async Task A_non_member_cannot_read_add_or_post_to_a_conversation()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var mallory = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.GetAsync(mallory, $"/api/conversations/{group}/messages")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.PostAsync(mallory, $"/api/conversations/{group}/members", new { userId = mallory.UserId })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.PostAsync(mallory, $"/api/conversations/{group}/messages", new { clientMessageId = "x", text = "hi" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.PostAsync(mallory, $"/api/conversations/{group}/read", new { seq = 1 })).Status);
        Assert.Empty(await Server.Api.HistoryAsync(alice, group));
    }

    [Fact]
    public async Task Group_size_is_limited()
    {
        var alice = await Server.Api.RegisterAsync();
        var (status, _) = await Server.Api.PostAsync(alice, "/api/conversations",
            new { type = "group", title = "Big", memberIds = Enumerable.Range(0, 1100).Select(i => $"u_{i:x8}").ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Profiles_by_id_show_only_the_caller_and_people_sharing_a_conversation()
    {
        var alice = await Server.Api.RegisterAsync(displayName: "Alice");
        var bob = await Server.Api.RegisterAsync(displayName: "Bob");
        var stranger = await Server.Api.RegisterAsync();
        await Server.Api.DirectAsync(alice, bob);
        var (status, _) = await Server.Api.GetAsync(alice, $"/api/users?ids={alice.UserId},{bob.UserId},{stranger.UserId}");
        Assert.Equal(HttpStatusCode.OK, status);
        using var http = Server.CreateHttpClient(alice.Token);
        var list = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(http, $"/api/users?ids={alice.UserId},{bob.UserId},{stranger.UserId}");
        Assert.Equal(new[] { alice.UserId, bob.UserId }.Order(), list!.Select(u => (string)u!["userId"]!).Order());
        Assert.Equal("Bob", (string?)list!.Single(u => (string?)u!["userId"] == bob.UserId)!["displayName"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.GetAsync(alice, "/api/users?ids=../x")).Status);
    }

    [Fact]
    public async Task Receipts_list_every_members_cursors_to_members_only()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var mallory = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "r1", text = "one" });
        await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/read", new { seq = 1 });
        var (status, body) = await Server.Api.GetAsync(alice, $"/api/conversations/{chat}/receipts");
        Assert.Equal(HttpStatusCode.OK, status);
        var bobs = body!["receipts"]!.AsArray().Single(r => (string?)r!["userId"] == bob.UserId)!;
        Assert.Equal(1, (long)bobs["readSeq"]!);
        Assert.Equal(1, (long)bobs["deliveredSeq"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.GetAsync(mallory, $"/api/conversations/{chat}/receipts")).Status);
    }

    [Fact]
    public async Task One_conversation_is_shown_as_in_the_list_to_members_and_is_not_found_for_anyone_else()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var mallory = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "o1", text = "one" });
        await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "o2", text = "two" });

        var (status, body) = await Server.Api.GetAsync(bob, $"/api/conversations/{chat}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(chat, (string?)body!["conversationId"]);
        Assert.Equal(2, (long)body["unreadCount"]!);
        Assert.Equal("two", (string?)body["lastMessage"]!["text"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.GetAsync(mallory, $"/api/conversations/{chat}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.GetAsync(bob, "/api/conversations/c_doesnotexist")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.GetAsync(bob, "/api/conversations/..%2Fx")).Status);
    }
}
