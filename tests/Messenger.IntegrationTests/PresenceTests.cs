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
}
