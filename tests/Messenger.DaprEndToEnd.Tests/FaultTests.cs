using System.Diagnostics;
using System.Text.Json.Nodes;
using Messenger.DaprEndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.DaprEndToEnd.Tests;

/// <summary>
/// Faults injected through the runner's admin endpoint: an app killed with SIGKILL (and started again), a broker that
/// redelivers and reorders. Each test leaves the run whole: every app running, both gateways delivering, the broker
/// in order.
/// </summary>
[Collection(DaprRunCollection.Name)]
public sealed class FaultTests(DaprRun run, ITestOutputHelper output) : RunTest(run, output)
{
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);

    public override async Task DisposeAsync()
    {
        try
        {
            await Run.SetBrokerAsync(0, null, 0);
            foreach (var instance in new[] { "messages", "gateway-1", "gateway-2" })
            {
                await Run.EnsureRunningAsync(instance);
            }

            await BothGatewaysDeliverAsync();
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    [Fact]
    public Task Killing_the_messages_app_under_a_steady_send_load_loses_no_acknowledged_message_and_breaks_no_order() =>
        KillMessagesUnderLoadAsync(connectionsMustSurvive: false);

    [Fact]
    public Task Killing_the_messages_app_drops_no_client_connection_without_a_close_frame() =>
        KillMessagesUnderLoadAsync(connectionsMustSurvive: true);

    /// <summary>
    /// 50 sends a second for 20 s from two members (one on each gateway) of a group whose third member listens through
    /// the edge; the messages app (the ConversationActor's host) is killed with SIGKILL after 5 s and started again at
    /// once. The clients behave as the protocol asks: a client whose connection ends connects again and syncs, and
    /// resends what was not acknowledged with the same clientMessageId.
    /// </summary>
    private async Task KillMessagesUnderLoadAsync(bool connectionsMustSurvive)
    {
        var (alice, bob, carol) = (await Run.Api.RegisterAsync(prefix: "alice"), await Run.Api.RegisterAsync(prefix: "bob"), await Run.Api.RegisterAsync(prefix: "carol"));
        var group = await Run.Api.GroupAsync(alice, bob, carol);
        await using var aliceClient = new ReconnectingClient(Run.Gateway(1), alice, group);
        await using var bobClient = new ReconnectingClient(Run.Gateway(2), bob, group);
        await using var carolClient = new ReconnectingClient(Run.Api, carol, group);
        var clients = new[] { (Client: aliceClient, Name: "alice"), (Client: bobClient, Name: "bob"), (Client: carolClient, Name: "carol") };
        foreach (var (client, _) in clients)
        {
            await client.ConnectAsync();
            await OnlineAsync(alice, client.User, online: true);
        }

        await FirstMessageAsync(aliceClient.Current, group, bobClient.Current, carolClient.Current);

        var sends = new List<(ReconnectingClient Client, string Id)>();
        var watch = Stopwatch.StartNew();
        TimeSpan killedAt = default, backAt = default;
        var fault = Task.Run(async () =>
        {
            await Task.Delay(KillAfter);
            await Run.KillAsync("messages");
            killedAt = watch.Elapsed;
            await Run.StartAsync("messages");
            backAt = watch.Elapsed;
        });
        try
        {
            using var timer = new PeriodicTimer(SendInterval);
            for (var i = 0; watch.Elapsed < LoadDuration && await timer.WaitForNextTickAsync(); i++)
            {
                var client = i % 2 == 0 ? aliceClient : bobClient;
                var id = $"{(i % 2 == 0 ? "a" : "b")}{i}";
                await client.SendAsync(new { type = "send", conversationId = group, clientMessageId = id, text = id });
                sends.Add((client, id));
            }
        }
        finally
        {
            await fault;
        }

        Output.WriteLine($"{sends.Count} sends in {watch.Elapsed.TotalSeconds:0.0} s; messages killed at {killedAt.TotalSeconds:0.0} s, healthy again at {backAt.TotalSeconds:0.0} s");

        // Every send is answered (sent or error), or not at all if it was in flight when a process or a connection died.
        var answering = Stopwatch.StartNew();
        while (sends.Any(s => !s.Client.Outcomes(s.Id).Any()) && answering.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        var firstAcks = new Dictionary<string, long>();
        foreach (var (client, id) in sends)
        {
            if (client.Outcomes(id).FirstOrDefault(o => WsClient.Type(o) == "sent") is { } ack)
            {
                firstAcks[id] = (long)ack["seq"]!;
            }
        }

        var errors = sends.Count(s => s.Client.Outcomes(s.Id).Any(o => WsClient.Type(o) == "error"));
        var unanswered = sends.Count(s => !s.Client.Outcomes(s.Id).Any());
        Output.WriteLine($"acknowledged {firstAcks.Count}, errors {errors}, unanswered {unanswered}; connections: "
            + string.Join(", ", clients.Select(c => $"{c.Name} {c.Client.Connections.Count} ({c.Client.Aborted} aborted, {c.Client.Closed} closed)")));
        Assert.True(killedAt > TimeSpan.Zero && backAt > killedAt);
        Assert.True(firstAcks.Count > 0, "no send was acknowledged");
        Assert.True(errors + unanswered > 0, "every send was acknowledged: the kill was not felt, the test proved nothing");
        if (connectionsMustSurvive)
        {
            Assert.All(clients, c => Assert.Equal(0, c.Client.Aborted));
        }

        // Resend whatever was not acknowledged, with the same clientMessageId, until it is (in rounds, pipelined).
        var pending = sends.Where(s => !firstAcks.ContainsKey(s.Id)).ToList();
        var resent = pending.Count;
        for (var round = 1; pending.Count > 0; round++)
        {
            Assert.True(round <= 5, $"{pending.Count} sends still fail after the restart, such as {pending[0].Id}: {pending[0].Client.Outcomes(pending[0].Id).LastOrDefault()?.ToJsonString()}");
            var answered = pending.ToDictionary(p => p.Id, p => p.Client.Outcomes(p.Id).Count());
            foreach (var (client, id) in pending)
            {
                await client.SendAsync(new { type = "send", conversationId = group, clientMessageId = id, text = id });
            }

            await WaitUntilAsync(() => pending.All(p => p.Client.Outcomes(p.Id).Count() > answered[p.Id]), TimeSpan.FromSeconds(60));
            pending = pending.Where(p => p.Client.Outcomes(p.Id).LastOrDefault() is not { } o || WsClient.Type(o) != "sent").ToList();
            if (pending.Count > 0)
            {
                await Task.Delay(500);
            }
        }

        await aliceClient.EnsureConnectedAsync();
        var last = await aliceClient.Current.SendMessageAsync(group, "end", "end");
        Assert.Equal("sent", WsClient.Type(last));
        var total = sends.Count + 2;
        Assert.Equal(total, (long)last["seq"]!);

        // The store: every message once, seq 1..N without a gap, each acknowledged one at the seq it was acknowledged with.
        var history = await Run.Api.AllMessagesAsync(carol, group);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), history.Select(m => (long)m["seq"]!));
        var stored = history.ToDictionary(m => (string)m["clientMessageId"]!, m => (long)m["seq"]!);
        Assert.Equal(total, stored.Count);
        Assert.All(firstAcks, ack => Assert.Equal(ack.Value, stored[ack.Key]));
        Assert.All(sends, s => Assert.All(s.Client.Outcomes(s.Id).Where(o => WsClient.Type(o) == "sent"), o => Assert.Equal(stored[s.Id], (long)o["seq"]!)));

        // The clients: on no connection a message frame twice or out of order; carol (who sends nothing) ends up with all.
        foreach (var (client, _) in clients)
        {
            await client.EnsureConnectedAsync();
        }

        await WaitUntilAsync(() => carolClient.Connections.SelectMany(c => ReconnectingClient.Seqs(c, group)).Distinct().Count() >= total, Wait);
        foreach (var (client, name) in clients)
        {
            foreach (var (connection, index) in client.Connections.Select((c, i) => (c, i)))
            {
                AssertAscendingOnce(ReconnectingClient.Seqs(connection, group).ToList(), $"{name}'s connection {index + 1}");
            }
        }

        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), carolClient.Connections.SelectMany(c => ReconnectingClient.Seqs(c, group)).Distinct().Order());
        Output.WriteLine($"resent {resent}; {total} messages stored once, in order");
    }

    [Fact]
    public async Task A_killed_gateways_users_count_as_offline_within_the_lease()
    {
        var dave = await Run.Api.RegisterAsync(prefix: "dave");
        var erin = await Run.Api.RegisterAsync(prefix: "erin");
        await Run.Api.DirectAsync(dave, erin);
        await using var erinWs = await Run.Gateway(2).ConnectAsync(erin);
        await OnlineAsync(dave, erin, online: true);
        await using var daveWs = await Run.Gateway(1).ConnectAsync(dave);
        await OnlineAsync(erin, dave, online: true);
        await erinWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == dave.UserId && (bool)f["online"]!, Wait);

        var watch = Stopwatch.StartNew();
        await Run.KillAsync("gateway-1");
        await daveWs.Closed.WaitAsync(Wait);

        // The lease lapses (no renewal), the presence sweep takes dave offline and tells erin.
        var limit = DaprRun.GatewayLease + DaprRun.PresenceRenewInterval + DaprRun.PresenceSweepInterval + TimeSpan.FromSeconds(5);
        var offline = await erinWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == dave.UserId && !(bool)f["online"]!, limit);
        Output.WriteLine($"dave offline for erin after {watch.Elapsed.TotalSeconds:0.0} s (lease {DaprRun.GatewayLease.TotalSeconds} s)");
        Assert.NotNull((string?)offline["lastSeen"]);
        Assert.False((bool)(await Run.Api.ProfileAsync(erin, dave.Username))["online"]!);
    }

    [Fact]
    public async Task A_killed_gateways_users_reconnect_through_the_edge_and_sync_what_they_missed()
    {
        var dave = await Run.Api.RegisterAsync(prefix: "dave");
        var erin = await Run.Api.RegisterAsync(prefix: "erin");
        var chat = await Run.Api.DirectAsync(dave, erin);
        await using var erinWs = await Run.Gateway(2).ConnectAsync(erin);
        long cursor;
        await using (var daveWs = await Run.Gateway(1).ConnectAsync(dave))
        {
            await OnlineAsync(erin, dave, online: true);
            await erinWs.SendMessageAsync(chat, "before");
            cursor = (long)MessageOf(await daveWs.WaitForAsync(f => WsClient.Type(f) == "message", Wait))["seq"]!;
            await Run.KillAsync("gateway-1");
            await daveWs.Closed.WaitAsync(Wait);
        }

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal("sent", WsClient.Type(await erinWs.SendMessageAsync(chat, $"missed {i}")));
        }

        // Dave's client reconnects through the edge (with backoff, as the web client does) while gateway-1 is down.
        var watch = Stopwatch.StartNew();
        var again = await ConnectWithRetriesAsync(Run.Api, dave, TimeSpan.FromSeconds(15));
        await using (again)
        {
            Output.WriteLine($"reconnected through the edge after {watch.Elapsed.TotalSeconds:0.0} s");
            var synced = await again.SyncAsync(new Dictionary<string, long> { [chat] = cursor });
            Assert.Equal(["missed 1", "missed 2", "missed 3"], synced.Select(m => (string?)m["text"]));
            Assert.Equal([cursor + 1, cursor + 2, cursor + 3], synced.Select(m => (long)m["seq"]!));

            await erinWs.SendMessageAsync(chat, "live again");
            Assert.Equal("live again", (string?)MessageOf(await again.WaitForAsync(f => WsClient.Type(f) == "message", Wait))["text"]);
            AssertAscendingOnce(MessageSeqs(again, chat), "dave after reconnecting");
        }
    }

    [Fact]
    public async Task A_broker_that_redelivers_and_reorders_still_gives_every_client_each_seq_once_in_order()
    {
        const int PerSender = 30;
        await Run.SetBrokerAsync(redeliveryRate: 0.5, concurrency: 4, maxDelayMilliseconds: 30);
        var before = await Run.CountersAsync();
        var (alice, bob, carol) = (await Run.Api.RegisterAsync(prefix: "alice"), await Run.Api.RegisterAsync(prefix: "bob"), await Run.Api.RegisterAsync(prefix: "carol"));
        var group = await Run.Api.GroupAsync(alice, bob, carol);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await using var carolWs = await Run.Api.ConnectAsync(carol);
        foreach (var user in new[] { alice, bob, carol })
        {
            await OnlineAsync(alice, user, online: true);
        }

        await FirstMessageAsync(carolWs, group, aliceWs, bobWs);
        var senders = new[] { (Client: aliceWs, Name: "a"), (Client: bobWs, Name: "b") };
        var acked = await Task.WhenAll(senders.Select(async s =>
        {
            for (var i = 1; i <= PerSender; i++)
            {
                await s.Client.SendAsync(new { type = "send", conversationId = group, clientMessageId = $"{s.Name}{i}", text = $"{s.Name}{i}" });
            }

            var seqs = new List<long>();
            for (var i = 1; i <= PerSender; i++)
            {
                var outcome = await s.Client.WaitForAsync(f => WsClient.IsOutcomeOf(f, $"{s.Name}{i}"), Wait);
                Assert.Equal("sent", WsClient.Type(outcome));
                seqs.Add((long)outcome["seq"]!);
            }

            return seqs;
        }));

        var total = 2 * PerSender;
        await WaitUntilAsync(() => MessageSeqs(carolWs, group).Count >= total && MessageSeqs(aliceWs, group).Count > PerSender && MessageSeqs(bobWs, group).Count > PerSender, Wait);
        await Task.Delay(TimeSpan.FromSeconds(1));
        string Got(WsClient client) => string.Join(',', MessageSeqs(client, group));
        Assert.True(Enumerable.Range(2, total).Select(i => (long)i).SequenceEqual(MessageSeqs(carolWs, group)), $"carol: {Got(carolWs)}");
        Assert.True(acked[1].Prepend(1).SequenceEqual(MessageSeqs(aliceWs, group)), $"alice expected 1 and bob's {string.Join(',', acked[1])}, got {Got(aliceWs)}");
        Assert.True(acked[0].Prepend(1).SequenceEqual(MessageSeqs(bobWs, group)), $"bob expected 1 and alice's {string.Join(',', acked[0])}, got {Got(bobWs)}");

        var after = await Run.CountersAsync();
        var redeliveries = after.GetProperty("gateway").GetProperty("redelivery").GetInt64() - before.GetProperty("gateway").GetProperty("redelivery").GetInt64();
        Output.WriteLine($"{redeliveries} redeliveries to the gateways");
        Assert.True(redeliveries > 0, "the broker redelivered nothing: the test proved nothing");
    }

    [Fact]
    public async Task A_member_whose_first_sight_of_a_conversation_is_its_own_sent_still_gets_the_earlier_message()
    {
        // The broker delays every delivery by up to a second: the other member's sent (straight from its gateway)
        // then almost always overtakes the delivery of the message before it. Five conversations: all five escaping
        // the race has a chance of about 1e-5.
        await Run.SetBrokerAsync(redeliveryRate: 0, concurrency: 1, maxDelayMilliseconds: 1000);
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        var groups = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            groups.Add(await Run.Api.GroupAsync(alice, bob));
        }

        // Presence is shown to contacts only: they are, now that they share the groups.
        await OnlineAsync(alice, bob, online: true);
        foreach (var group in groups)
        {
            Assert.Equal(1, (long)(await aliceWs.SendMessageAsync(group, "first"))["seq"]!);
            Assert.Equal(2, (long)(await bobWs.SendMessageAsync(group, "second"))["seq"]!);
        }

        // One delivery at a time, each delayed up to a second: the last group's message can take many seconds.
        await WaitUntilAsync(() => groups.All(g => MessageSeqs(bobWs, g).Count > 0), TimeSpan.FromSeconds(30));
        Assert.All(groups, g => Assert.Equal([1L], MessageSeqs(bobWs, g)));
    }

    private static async Task<WsClient> ConnectWithRetriesAsync(ApiClient api, TestUser user, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await api.ConnectAsync(user);
            }
            catch (System.Net.WebSockets.WebSocketException) when (watch.Elapsed < limit)
            {
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>A message from a user on each gateway to a user on the other arrives: both gateways' topics flow.</summary>
    private async Task BothGatewaysDeliverAsync()
    {
        var one = await Run.Api.RegisterAsync(prefix: "probe");
        var two = await Run.Api.RegisterAsync(prefix: "probe");
        var chat = await Run.Api.DirectAsync(one, two);
        await using var oneWs = await Run.Gateway(1).ConnectAsync(one);
        await using var twoWs = await Run.Gateway(2).ConnectAsync(two);
        await OnlineAsync(one, two, online: true);
        await OnlineAsync(two, one, online: true);
        await oneWs.SendMessageAsync(chat, "probe 1");
        await twoWs.WaitForAsync(f => WsClient.Type(f) == "message", TimeSpan.FromSeconds(60));
        await twoWs.SendMessageAsync(chat, "probe 2");
        await oneWs.WaitForAsync(f => WsClient.Type(f) == "message", TimeSpan.FromSeconds(60));
    }
}
