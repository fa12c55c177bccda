using System.Net;
using System.Text.Json.Nodes;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

/// <summary>Group roles over HTTP and WebSocket: the creator is admin, admins add, remove and promote, anyone may leave.</summary>
public sealed class GroupAdminTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task The_creator_is_the_admin_and_the_member_list_shows_each_role()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var created = await Server.Api.CreateConversationAsync(alice, "group", "Team", bob);

        Assert.Equal("admin", RoleIn(created, alice));
        Assert.Equal("member", RoleIn(created, bob));
        var (_, seenByBob) = await Server.Api.GetAsync(bob, $"/api/conversations/{(string)created["conversationId"]!}");
        Assert.Equal("admin", RoleIn(seenByBob!, alice));
        Assert.All(seenByBob!["members"]!.AsArray(), m => Assert.Null(m!["online"]));
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_gets_403_forbidden_for_add_remove_and_promote_and_nothing_changes()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var dave = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob, carol);

        var add = await Server.Api.PostAsync(bob, $"/api/conversations/{group}/members", new { userId = dave.UserId });
        var promote = await Server.Api.PostAsync(bob, $"/api/conversations/{group}/admins", new { userId = bob.UserId });
        var remove = await Server.Api.DeleteAsync(bob, $"/api/conversations/{group}/members/{carol.UserId}");

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (add.Status, (string?)add.Body!["code"]));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (promote.Status, (string?)promote.Body!["code"]));
        Assert.Equal(HttpStatusCode.Forbidden, remove);
        var (_, now) = await Server.Api.GetAsync(alice, $"/api/conversations/{group}");
        Assert.Equal(3, now!["members"]!.AsArray().Count);
        Assert.Equal(["admin", "member", "member"], [RoleIn(now, alice), RoleIn(now, bob), RoleIn(now, carol)]);
    }

    [Fact]
    public async Task An_admin_promotes_a_member_who_then_adds_and_removes_and_every_member_gets_the_new_roles()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var dave = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob, carol);
        await using var carolWs = await Server.Api.ConnectAsync(carol);
        await carolWs.RoundTripAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/conversations/{group}/admins", new { userId = bob.UserId })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/conversations/{group}/admins", new { userId = bob.UserId })).Status);
        var frame = await carolWs.WaitForAsync(f => WsClient.Type(f) == "conversation" && RoleIn(f["conversation"]!.AsObject(), bob) == "admin");
        Assert.Equal("member", RoleIn(frame["conversation"]!.AsObject(), carol));

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(bob, $"/api/conversations/{group}/members", new { userId = dave.UserId })).Status);
        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(bob, $"/api/conversations/{group}/members/{carol.UserId}"));
        var (_, now) = await Server.Api.GetAsync(alice, $"/api/conversations/{group}");
        Assert.Equal(new[] { alice.UserId, bob.UserId, dave.UserId }.Order(), now!["memberIds"]!.AsArray().Select(m => (string)m!).Order());
    }

    [Fact]
    public async Task Promoting_someone_who_is_not_a_member_is_400_and_in_a_direct_conversation_too()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var outsider = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob);
        var direct = await Server.Api.DirectAsync(alice, bob);

        var notMember = await Server.Api.PostAsync(alice, $"/api/conversations/{group}/admins", new { userId = outsider.UserId });
        var inDirect = await Server.Api.PostAsync(alice, $"/api/conversations/{direct}/admins", new { userId = bob.UserId });
        var missing = await Server.Api.PostAsync(alice, $"/api/conversations/{group}/admins", new { });

        Assert.Equal((HttpStatusCode.BadRequest, "bad_request"), (notMember.Status, (string?)notMember.Body!["code"]));
        Assert.Equal(HttpStatusCode.BadRequest, inDirect.Status);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.PostAsync(outsider, $"/api/conversations/{group}/admins", new { userId = outsider.UserId })).Status);
    }

    [Fact]
    public async Task When_the_last_admin_leaves_the_longest_standing_member_becomes_admin()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var dave = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob, carol);
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, $"/api/conversations/{group}/members", new { userId = dave.UserId })).Status);

        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(alice, $"/api/conversations/{group}/members/{alice.UserId}"));

        var (_, now) = await Server.Api.GetAsync(bob, $"/api/conversations/{group}");
        Assert.Equal(["admin", "member", "member"], [RoleIn(now!, bob), RoleIn(now!, carol), RoleIn(now!, dave)]);
        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(bob, $"/api/conversations/{group}/members/{dave.UserId}"));
    }

    private static string RoleIn(JsonObject conversation, TestUser user) =>
        (string)conversation["members"]!.AsArray().Single(m => (string?)m!["userId"] == user.UserId)!["role"]!;
}
