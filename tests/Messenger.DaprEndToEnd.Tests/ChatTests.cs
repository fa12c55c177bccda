using System.Net;
using System.Text.Json.Nodes;
using Messenger.DaprEndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.DaprEndToEnd.Tests;

/// <summary>Chat across the run: accounts and conversations through the edge, WebSockets held straight on each gateway
/// (so that both are exercised whatever the edge's balancer picks) and through the edge.</summary>
[Collection(DaprRunCollection.Name)]
public sealed class ChatTests(DaprRun run, ITestOutputHelper output) : RunTest(run, output)
{
    [Fact]
    public async Task Only_the_sidecar_reaches_an_apps_dapr_routes_while_the_chat_through_them_works()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "/dapr/subscribe", "/dapr/config" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(Run.GatewayUrl(1), path))).StatusCode);
        }

        using var forged = new StringContent("""{"userIds":["u_x"],"frame":{"type":"typing","conversationId":"c_x","userId":"u_y"}}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(new Uri(Run.GatewayUrl(1), "/events/gateway"), forged)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Run.GatewayUrl(1), "/dapr/subscribe"));
        request.Headers.Add("dapr-api-token", DaprRun.AppApiToken);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_logout_on_the_messages_app_closes_that_sessions_sockets_on_both_gateways_within_5_s_and_no_other_sessions()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var login = await Run.Api.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = ApiClient.Password });
        var otherSession = alice with { Token = (string)login.Body!["token"]! };
        await using var onFirst = await Run.Gateway(1).ConnectAsync(alice);
        await using var onSecond = await Run.Gateway(2).ConnectAsync(alice);
        await using var other = await Run.Gateway(2).ConnectAsync(otherSession);
        await Task.WhenAll(onFirst.RoundTripAsync(), onSecond.RoundTripAsync(), other.RoundTripAsync());

        var refreshed = await Run.Api.PostAsync(alice, "/api/auth/refresh", new { });
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        var fresh = alice with { Token = (string)refreshed.Body!["token"]! };
        Assert.Equal(HttpStatusCode.Unauthorized, (await Run.Api.GetAsync(alice, "/api/conversations")).Status);
        await Task.WhenAll(onFirst.RoundTripAsync(), onSecond.RoundTripAsync());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, (await Run.Api.PostAsync(fresh, "/api/auth/logout", new { })).Status);
        await Task.WhenAll(onFirst.Closed, onSecond.Closed).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"closed after {clock.Elapsed}");
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, onFirst.CloseStatus);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, onSecond.CloseStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Run.Api.GetAsync(fresh, "/api/conversations")).Status);
        await other.RoundTripAsync();
    }

    [Fact]
    public async Task A_client_message_id_that_would_put_a_separator_in_a_state_key_is_refused_and_stores_nothing()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var chat = await Run.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);

        var refused = await aliceWs.SendMessageAsync(chat, "over the wire", clientMessageId: "a||b");
        var accepted = await aliceWs.SendMessageAsync(chat, "after it", clientMessageId: "a-b");

        Assert.Equal(("error", "bad_request"), (WsClient.Type(refused), (string?)refused["code"]));
        Assert.Equal(1, (long)accepted["seq"]!);
    }

    [Fact]
    public async Task Accounts_registered_through_the_edge_chat_directly_from_one_gateway_to_the_other_both_ways()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var login = await Run.Api.PostAsync(null, "/api/auth/login", new { username = bob.Username, password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.OK, login.Status);
        var chat = await Run.Api.DirectAsync(alice, bob);

        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await OnlineAsync(alice, bob, online: true);
        await OnlineAsync(bob, alice, online: true);

        var sent = await aliceWs.SendMessageAsync(chat, "hi bob, from gateway 1");
        Assert.Equal("sent", WsClient.Type(sent));
        Assert.Equal(1, (long)sent["seq"]!);
        var atBob = MessageOf(await bobWs.WaitForAsync(f => WsClient.Type(f) == "message", Wait));
        Assert.Equal((1L, "hi bob, from gateway 1", alice.UserId), ((long)atBob["seq"]!, (string?)atBob["text"], (string?)atBob["senderId"]));
        Assert.Equal((string?)sent["messageId"], (string?)atBob["messageId"]);

        var reply = await bobWs.SendMessageAsync(chat, "hi alice, from gateway 2");
        Assert.Equal(2, (long)reply["seq"]!);
        var atAlice = MessageOf(await aliceWs.WaitForAsync(f => WsClient.Type(f) == "message", Wait));
        Assert.Equal((2L, "hi alice, from gateway 2", bob.UserId), ((long)atAlice["seq"]!, (string?)atAlice["text"], (string?)atAlice["senderId"]));

        var listed = await Run.Api.ConversationsAsync(bob);
        var conversation = Assert.Single(listed, c => (string?)c["conversationId"] == chat);
        Assert.Equal(2, (long)conversation["lastSeq"]!);
    }

    [Fact]
    public async Task A_group_on_both_gateways_and_the_edge_gets_every_message_once_in_seq_order()
    {
        const int PerSender = 8;
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var carol = await Run.Api.RegisterAsync(prefix: "carol");
        var group = await Run.Api.GroupAsync(alice, bob, carol);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await using var carolWs = await Run.Api.ConnectAsync(carol);
        foreach (var user in new[] { alice, bob, carol })
        {
            await OnlineAsync(alice, user, online: true);
        }

        await FirstMessageAsync(carolWs, group, aliceWs, bobWs);

        // All three send at once; each connection sends its frames in order.
        var senders = new[] { (aliceWs, "alice"), (bobWs, "bob"), (carolWs, "carol") };
        var acks = await Task.WhenAll(senders.Select(async s =>
        {
            var ids = Enumerable.Range(1, PerSender).Select(i => $"{s.Item2}-{i}").ToList();
            foreach (var id in ids)
            {
                await s.Item1.SendAsync(new { type = "send", conversationId = group, clientMessageId = id, text = id });
            }

            var sent = new List<long>();
            foreach (var id in ids)
            {
                var outcome = await s.Item1.WaitForAsync(f => WsClient.IsOutcomeOf(f, id), Wait);
                Assert.Equal("sent", WsClient.Type(outcome));
                sent.Add((long)outcome["seq"]!);
            }

            AssertAscendingOnce(sent, $"{s.Item2}'s own sends");
            return sent;
        }));
        Assert.Equal(Enumerable.Range(2, 3 * PerSender).Select(i => (long)i), acks.SelectMany(a => a).Order());

        for (var i = 0; i < senders.Length; i++)
        {
            var (client, name) = senders[i];
            // Seq 1 is carol's first message: alice and bob have it too.
            var others = acks.Where((_, j) => j != i).SelectMany(a => a).Concat(client == carolWs ? [] : [1L]).Order().ToList();
            await WaitUntilAsync(() => MessageSeqs(client, group).Count >= others.Count, Wait);
            var seqs = MessageSeqs(client, group);
            Assert.True(others.SequenceEqual(seqs), $"{name} expected the others' seqs {string.Join(',', others)}, got {string.Join(',', seqs)}");
        }

        var history = await Run.Api.AllMessagesAsync(carol, group);
        Assert.Equal(Enumerable.Range(1, 3 * PerSender + 1).Select(i => (long)i), history.Select(m => (long)m["seq"]!));
        Assert.All(history, m => Assert.Equal((string?)m["clientMessageId"], (string?)m["text"]));
    }

    [Fact]
    public async Task History_pages_back_and_forward_through_the_edge()
    {
        const int Count = 120;
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var chat = await Run.Api.DirectAsync(alice, bob);
        await using (var aliceWs = await Run.Api.ConnectAsync(alice))
        {
            for (var i = 1; i <= Count; i++)
            {
                await aliceWs.SendAsync(new { type = "send", conversationId = chat, clientMessageId = $"h{i}", text = $"message {i}" });
            }

            await aliceWs.WaitForAsync(f => WsClient.IsOutcomeOf(f, $"h{Count}"), Wait);
            Assert.Equal(Count, aliceWs.Received.Count(f => WsClient.Type(f) == "sent"));
        }

        static List<long> Seqs(List<JsonObject> page) => page.Select(m => (long)m["seq"]!).ToList();
        static List<long> Range(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => (long)i).ToList();

        var newest = await Run.Api.HistoryAsync(bob, chat);
        Assert.Equal(Range(71, 120), Seqs(newest));
        var older = await Run.Api.HistoryAsync(bob, chat, "?beforeSeq=71");
        Assert.Equal(Range(21, 70), Seqs(older));
        var oldest = await Run.Api.HistoryAsync(bob, chat, "?beforeSeq=21&limit=50");
        Assert.Equal(Range(1, 20), Seqs(oldest));
        var forward = await Run.Api.HistoryAsync(bob, chat, "?afterSeq=95&limit=10");
        Assert.Equal(Range(96, 105), Seqs(forward));
        var all = await Run.Api.AllMessagesAsync(bob, chat);
        Assert.Equal(Range(1, Count), Seqs(all));
        Assert.All(all, m => Assert.Equal($"message {m["seq"]}", (string?)m["text"]));

        // The same page straight from the messages app: the edge adds nothing and loses nothing.
        var direct = await new ApiClient(new Uri(Run.Apps().Single(a => a.Instance == "messages").Url)).HistoryAsync(bob, chat, "?beforeSeq=71");
        Assert.Equal(Seqs(older), Seqs(direct));
    }

    [Fact]
    public async Task A_member_who_was_offline_reconnects_through_the_edge_and_syncs_what_was_sent_meanwhile()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var chat = await Run.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        long bobCursor;
        await using (var bobWs = await Run.Gateway(2).ConnectAsync(bob))
        {
            await OnlineAsync(alice, bob, online: true);
            await aliceWs.SendMessageAsync(chat, "before");
            bobCursor = (long)MessageOf(await bobWs.WaitForAsync(f => WsClient.Type(f) == "message", Wait))["seq"]!;
            Assert.Equal(1, bobCursor);
        }

        await OnlineAsync(alice, bob, online: false);
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal("sent", WsClient.Type(await aliceWs.SendMessageAsync(chat, $"while away {i}")));
        }

        await using var again = await Run.Api.ConnectAsync(bob);
        var synced = await again.SyncAsync(new Dictionary<string, long> { [chat] = bobCursor });
        Assert.Equal([2L, 3L, 4L, 5L, 6L], synced.Select(m => (long)m["seq"]!));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"while away {i}"), synced.Select(m => (string?)m["text"]));

        // Live again after the sync, and nothing twice.
        await aliceWs.SendMessageAsync(chat, "welcome back");
        var live = MessageOf(await again.WaitForAsync(f => WsClient.Type(f) == "message", Wait));
        Assert.Equal(7, (long)live["seq"]!);
        await again.RoundTripAsync();
        AssertAscendingOnce(MessageSeqs(again, chat), "bob after reconnecting");
    }

    [Fact]
    public async Task Delivered_and_read_receipts_reach_the_sender_on_the_other_gateway()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var chat = await Run.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await OnlineAsync(alice, bob, online: true);
        for (var i = 1; i <= 3; i++)
        {
            await aliceWs.SendMessageAsync(chat, $"m{i}");
        }

        await bobWs.SendAsync(new { type = "delivered", conversationId = chat, seq = 3 });
        var delivered = await aliceWs.WaitForAsync(f => WsClient.Type(f) == "receipt" && (long)f["deliveredSeq"]! == 3, Wait);
        Assert.Equal((bob.UserId, chat), ((string?)delivered["userId"], (string?)delivered["conversationId"]));

        await bobWs.SendAsync(new { type = "read", conversationId = chat, seq = 2 });
        var read = await aliceWs.WaitForAsync(f => WsClient.Type(f) == "receipt" && (long)f["readSeq"]! == 2, Wait);
        Assert.Equal(3, (long)read["deliveredSeq"]!);

        var (status, _) = await Run.Api.PostAsync(bob, $"/api/conversations/{chat}/read", new { seq = 3 });
        Assert.Equal(HttpStatusCode.NoContent, status);
        await aliceWs.WaitForAsync(f => WsClient.Type(f) == "receipt" && (long)f["readSeq"]! == 3, Wait);

        var (_, receipts) = await Run.Api.GetAsync(alice, $"/api/conversations/{chat}/receipts");
        var bobs = receipts!["receipts"]!.AsArray().Single(r => (string?)r!["userId"] == bob.UserId)!;
        Assert.Equal((3L, 3L), ((long)bobs["deliveredSeq"]!, (long)bobs["readSeq"]!));
    }

    [Fact]
    public async Task Typing_and_presence_cross_from_one_gateway_to_the_other()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var chat = await Run.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await OnlineAsync(bob, alice, online: true);

        var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await aliceWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == bob.UserId && (bool)f["online"]!, Wait);

        await bobWs.SendAsync(new { type = "typing", conversationId = chat });
        var typing = await aliceWs.WaitForAsync(f => WsClient.Type(f) == "typing", Wait);
        Assert.Equal((chat, bob.UserId), ((string?)typing["conversationId"], (string?)typing["userId"]));

        await bobWs.DisposeAsync();
        var offline = await aliceWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == bob.UserId && !(bool)f["online"]!, Wait);
        Assert.NotNull((string?)offline["lastSeen"]);
        var profile = await Run.Api.ProfileAsync(alice, bob.Username);
        Assert.False((bool)profile["online"]!);
        Assert.NotNull((string?)profile["lastSeen"]);
    }
}
