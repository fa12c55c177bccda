using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>
/// A gateway that is alive but renews its presence lease late (a long GC pause, a starved machine, a presence store
/// that was unreachable for a while): its users rightly count as offline meanwhile, but once it renews, its open
/// connections must get live messages again.
/// </summary>
public sealed class LateLeaseRenewalTests
{
    // Gateway gw1 renews 3 s after its lease ran out: a stall of its renewer, compressed. Gateway gw2 is healthy.
    private static readonly string[] LateRenewal =
    [
        "--Messenger:GatewayLease", "00:00:02",
        "--Messenger:Gateway:PresenceRenewInterval", "00:00:05",
        "--Messenger:Presence:Interval", "00:00:00.200",
    ];

    private static readonly string[] Healthy = ["--Messenger:Gateway:PresenceRenewInterval", "00:00:01"];

    [Fact]
    public async Task Open_connections_get_live_messages_again_once_their_gateway_renews_its_lease()
    {
        await using var server = await StandaloneServer.StartWithSecondGatewayAsync(LateRenewal, Healthy);
        var alice = await server.Api.RegisterAsync(prefix: "alice");
        var bob = await server.Api.RegisterAsync(prefix: "bob");
        var chat = await server.Api.ConversationAsync(alice, "direct", bob);
        await using var aliceWs = await WsClient.ConnectAsync(server.BaseAddress, alice.Token);
        await using var bobWs = await WsClient.ConnectAsync(server.SecondGatewayAddress!, bob.Token);
        await aliceWs.RoundTripAsync();

        // The lease runs out: alice is offline for bob, although her socket is open.
        await bobWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == alice.UserId && !(bool)f["online"]!, TimeSpan.FromSeconds(10));

        // The gateway renews (every 5 s); from then on alice's open connection counts again.
        await Eventually.HoldsAsync(
            async () => (bool)(await server.Api.ProfileAsync(bob, alice.Username))["online"]!,
            "alice counts as online again after her gateway renewed its lease", TimeSpan.FromSeconds(15));
        var sent = await bobWs.SendMessageAsync(chat, "are you there?");
        var live = await aliceWs.WaitForAsync(f => WsClient.Type(f) == "message" && (long)f["message"]!["seq"]! == (long)sent["seq"]!, TimeSpan.FromSeconds(5));
        Assert.Equal("are you there?", (string?)live["message"]!["text"]);
    }
}
