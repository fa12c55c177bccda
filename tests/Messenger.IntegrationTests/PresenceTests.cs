using System.Net;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class PresenceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Online_goes_out_on_the_first_connection_and_offline_with_last_seen_when_the_last_closes()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        await Server.Api.DirectAsync(alice, bob);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await bobWs.RoundTripAsync();

        var first = await Server.Api.ConnectAsync(alice);
        var online = await bobWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == alice.UserId);
        Assert.True((bool)online["online"]!);
        var second = await Server.Api.ConnectAsync(alice);
        await second.RoundTripAsync();
        Assert.True((bool)(await Server.Api.GetAsync(bob, $"/api/users/{alice.Username}")).Body!["online"]!);

        await first.DisposeAsync();
        await bobWs.AssertNoneAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == alice.UserId);
        await second.DisposeAsync();
        var offline = await bobWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == alice.UserId);
        Assert.False((bool)offline["online"]!);
        var lastSeen = DateTimeOffset.Parse((string)offline["lastSeen"]!);
        Assert.True(DateTimeOffset.UtcNow - lastSeen < TimeSpan.FromMinutes(1));

        var profile = (await Server.Api.GetAsync(bob, $"/api/users/{alice.Username}")).Body!;
        Assert.False((bool)profile["online"]!);
        Assert.Equal(lastSeen, DateTimeOffset.Parse((string)profile["lastSeen"]!));
    }

    [Fact]
    public async Task Presence_goes_only_to_users_who_share_a_conversation()
    {
        var alice = await Server.Api.RegisterAsync();
        var stranger = await Server.Api.RegisterAsync();
        await using var strangerWs = await Server.Api.ConnectAsync(stranger);
        await strangerWs.RoundTripAsync();
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await aliceWs.RoundTripAsync();
        await strangerWs.AssertNoneAsync(f => WsClient.Type(f) == "presence");
    }

    [Fact]
    public async Task Presence_and_last_seen_by_username_go_to_contacts_only_and_are_null_for_anyone_else()
    {
        var alice = await Server.Api.RegisterAsync();
        var contact = await Server.Api.RegisterAsync();
        var stranger = await Server.Api.RegisterAsync();
        await Server.Api.DirectAsync(alice, contact);
        await using (var aliceWs = await Server.Api.ConnectAsync(alice))
        {
            await aliceWs.RoundTripAsync();
            var seenByStranger = await Server.Api.ProfileAsync(stranger, alice.Username);
            Assert.Equal(alice.UserId, (string?)seenByStranger["userId"]);
            Assert.True(seenByStranger.ContainsKey("online"));
            Assert.Null(seenByStranger["online"]);
            Assert.Null(seenByStranger["lastSeen"]);
            Assert.True((bool)(await Server.Api.ProfileAsync(contact, alice.Username))["online"]!);
            Assert.True((bool)(await Server.Api.ProfileAsync(alice, alice.Username))["online"]!);
        }

        await Eventually.HoldsAsync(
            async () => (await Server.Api.ProfileAsync(contact, alice.Username))["lastSeen"] is not null, "alice's lastSeen is shown to her contact", TimeSpan.FromSeconds(10));
        Assert.Null((await Server.Api.ProfileAsync(stranger, alice.Username))["lastSeen"]);

        // Once they share a group the stranger is a contact; once he leaves it, not any more.
        var group = await Server.Api.GroupAsync(alice, stranger);
        Assert.False((bool)(await Server.Api.ProfileAsync(stranger, alice.Username))["online"]!);
        Assert.Equal(HttpStatusCode.NoContent, await Server.Api.DeleteAsync(stranger, $"/api/conversations/{group}/members/{stranger.UserId}"));
        Assert.Null((await Server.Api.ProfileAsync(stranger, alice.Username))["online"]);
        Assert.Empty(await ProfilesAsync(stranger, alice.UserId));
    }

    private async Task<List<System.Text.Json.Nodes.JsonNode?>> ProfilesAsync(TestUser user, string ids)
    {
        using var http = Server.CreateHttpClient(user.Token);
        var list = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(http, $"/api/users?ids={ids}");
        return [.. list!];
    }
}
