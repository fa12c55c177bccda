using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Messenger.Core.Events;
using Messenger.Core.Services;
using Messenger.Embedded.Bus;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>
/// A gateway instance that dies without a clean shutdown: simulated by a presence entry on a gateway id ("ghost")
/// that nothing serves and that never renews its lease, next to the host's own live gateway.
/// </summary>
public sealed class VanishedGatewayTests
{
    private const string Ghost = "ghost";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    private static readonly string[] ShortLease =
    [
        "--Messenger:GatewayLease", "00:00:03",
        "--Messenger:Presence:Interval", "00:00:00.200",
        // The live gateway renews well inside the short lease (1 s is the shortest interval its options allow).
        "--Messenger:Gateway:PresenceRenewInterval", "00:00:01",
    ];

    [Fact]
    public async Task Users_of_a_vanished_gateway_go_offline_after_its_lease_and_their_messages_go_to_push_and_sync()
    {
        await using var server = await StandaloneServer.StartAsync(settings: ShortLease);
        var alice = await server.Api.RegisterAsync(prefix: "alice");
        var bob = await server.Api.RegisterAsync(prefix: "bob");
        var carol = await server.Api.RegisterAsync(prefix: "carol");
        var chat = await server.Api.ConversationAsync(alice, "direct", bob);
        await server.Api.ConversationAsync(carol, "direct", bob);

        var pushes = Channel.CreateUnbounded<PushRequested>();
        await using var subscription = server.Get<InProcessEventBus>().Subscribe<PushRequested>(
            Topics.PushRequests, (push, cancellationToken) => pushes.Writer.WriteAsync(push, cancellationToken).AsTask(), _ => { });
        await using var aliceWs = await WsClient.ConnectAsync(server.BaseAddress, alice.Token);
        await using var carolWs = await WsClient.ConnectAsync(server.BaseAddress, carol.Token);
        await aliceWs.RoundTripAsync();
        await carolWs.RoundTripAsync();

        // Bob's only connection is on the ghost gateway, as a gateway registers it, and the ghost never renews.
        var ghostSince = DateTimeOffset.UtcNow;
        var lifetime = Stopwatch.StartNew();
        await server.Get<PresenceService>().ConnectedAsync(bob.UserId, Ghost, "k_ghostconnection", CancellationToken.None);
        await carolWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == bob.UserId && (bool)f["online"]!);
        Assert.True((bool)(await server.Api.ProfileAsync(alice, bob.Username))["online"]!);

        // While the ghost still counts, a send is routed to it; the sender is not kept waiting by a gateway nobody serves.
        var before = Stopwatch.StartNew();
        var whileHeld = await aliceWs.SendMessageAsync(chat, "while the ghost holds bob");
        Assert.Equal("sent", WsClient.Type(whileHeld));
        Assert.True(before.Elapsed < TimeSpan.FromSeconds(2), $"sent took {before.ElapsedMilliseconds} ms with the ghost holding the recipient");

        // After the lease: offline, with when bob was last seen, for every contact.
        foreach (var contact in new[] { carolWs, aliceWs })
        {
            var offline = await contact.WaitForAsync(
                f => WsClient.Type(f) == "presence" && (string?)f["userId"] == bob.UserId && !(bool)f["online"]!, TimeSpan.FromSeconds(10));
            var lastSeen = DateTimeOffset.Parse((string)offline["lastSeen"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(lastSeen, ghostSince.AddSeconds(-1), DateTimeOffset.UtcNow);
        }

        Assert.True(lifetime.Elapsed >= Lease - TimeSpan.FromMilliseconds(100), $"bob went offline after {lifetime.ElapsedMilliseconds} ms, before the lease ran out");
        var profile = await server.Api.ProfileAsync(alice, bob.Username);
        Assert.False((bool)profile["online"]!);
        Assert.NotNull((string?)profile["lastSeen"]);

        // A message now goes to push at once, and the sender's sent is prompt.
        before.Restart();
        var afterExpiry = await aliceWs.SendMessageAsync(chat, "bob is offline now");
        Assert.Equal("sent", WsClient.Type(afterExpiry));
        Assert.True(before.Elapsed < TimeSpan.FromSeconds(2), $"sent took {before.ElapsedMilliseconds} ms after the ghost expired");
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            PushRequested push;
            do
            {
                push = await pushes.Reader.ReadAsync(wait.Token);
            }
            while (push.Seq != (long)afterExpiry["seq"]! || push.ConversationId != chat);

            Assert.Contains(bob.UserId, push.UserIds);
            Assert.DoesNotContain(alice.UserId, push.UserIds);
        }

        // Bob comes back on a live gateway and syncs: both messages are there, in order.
        await using var bobWs = await WsClient.ConnectAsync(server.BaseAddress, bob.Token);
        var missed = await bobWs.SyncAsync(new Dictionary<string, long> { [chat] = 0 });
        Assert.Equal(
            [(long)whileHeld["seq"]!, (long)afterExpiry["seq"]!],
            missed.Where(m => (string?)m["conversationId"] == chat).Select(m => (long)m["seq"]!));
        Assert.True((bool)(await server.Api.ProfileAsync(alice, bob.Username))["online"]!);
    }

    [Fact]
    public async Task A_vanished_gateway_delays_no_http_request()
    {
        await using var server = await StandaloneServer.StartAsync(settings: ShortLease);
        var alice = await server.Api.RegisterAsync(prefix: "alice");
        var members = new List<TestUser>();
        for (var i = 0; i < 5; i++)
        {
            var member = await server.Api.RegisterAsync(prefix: "ghosted");
            members.Add(member);
            await server.Get<PresenceService>().ConnectedAsync(member.UserId, Ghost, $"k_ghost{i}", CancellationToken.None);
        }

        var group = await server.Api.ConversationAsync(alice, "group", [.. members]);
        for (var i = 0; i < 10; i++)
        {
            var watch = Stopwatch.StartNew();
            var (status, body) = await server.Api.PostAsync(alice, $"/api/conversations/{group}/messages", new { clientMessageId = $"h{i}", text = "to the ghost" });
            Assert.Equal(HttpStatusCode.Created, status);
            Assert.Equal(i + 1, (long)body!["seq"]!);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"send {i} took {watch.ElapsedMilliseconds} ms");
        }
    }
}
