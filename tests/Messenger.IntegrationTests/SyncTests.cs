using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class SyncTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Sync_replays_everything_after_each_cursor_ascending_then_synced()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var withBob = await Server.Api.DirectAsync(alice, bob);
        var group = await Server.Api.GroupAsync(alice, bob, carol);
        await using (var aliceWs = await Server.Api.ConnectAsync(alice))
        {
            for (var i = 1; i <= 5; i++)
            {
                await aliceWs.SendMessageAsync(withBob, $"direct {i}");
            }

            for (var i = 1; i <= 3; i++)
            {
                await aliceWs.SendMessageAsync(group, $"group {i}");
            }
        }

        await using var bobWs = await Server.Api.ConnectAsync(bob);
        var replay = await bobWs.SyncAsync(new Dictionary<string, long> { [withBob] = 2, ["c_notmine"] = 0 });
        var direct = replay.Where(m => (string?)m["conversationId"] == withBob).Select(m => (long)m["seq"]!).ToArray();
        var fromGroup = replay.Where(m => (string?)m["conversationId"] == group).Select(m => (long)m["seq"]!).ToArray();
        Assert.Equal([3, 4, 5], direct);
        Assert.Equal([1, 2, 3], fromGroup);
        Assert.Equal(6, replay.Count);
    }

    [Fact]
    public async Task Sync_after_a_reconnect_gets_exactly_what_was_missed_and_live_messages_continue_in_order()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var carol = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob, carol);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await using var carolWs = await Server.Api.ConnectAsync(carol);
        var bobWs = await Server.Api.ConnectAsync(bob);
        await bobWs.RoundTripAsync();
        await aliceWs.SendMessageAsync(group, "seen");
        Assert.Equal(1, (long)(await bobWs.WaitForTypeAsync("message"))["message"]!["seq"]!);
        await bobWs.DisposeAsync();

        // More than one page of history (200) is missed, from two senders at once.
        await Task.WhenAll(SendManyAsync(aliceWs, group, "alice"), SendManyAsync(carolWs, group, "carol"));

        await using var back = await Server.Api.ConnectAsync(bob);
        var replay = await back.SyncAsync(new Dictionary<string, long> { [group] = 1 });
        Assert.Equal(Enumerable.Range(2, 220).Select(i => (long)i), replay.Select(m => (long)m["seq"]!));
        await aliceWs.SendMessageAsync(group, "live again");
        Assert.Equal(222, (long)(await back.WaitForTypeAsync("message"))["message"]!["seq"]!);
    }

    private static async Task SendManyAsync(WsClient client, string conversationId, string who)
    {
        for (var i = 0; i < 110; i++)
        {
            Assert.Equal("sent", WsClient.Type(await client.SendMessageAsync(conversationId, $"{who} {i}")));
        }
    }

    [Fact]
    public async Task Sync_with_no_cursors_replays_every_conversation_from_the_start()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await aliceWs.SendMessageAsync(chat, "a");
        await aliceWs.SendMessageAsync(chat, "b");
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        var replay = await bobWs.SyncAsync(new { });
        Assert.Equal(["a", "b"], replay.Select(m => (string)m["text"]!));
    }
}
