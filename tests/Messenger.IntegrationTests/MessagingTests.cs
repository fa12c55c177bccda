using System.Net;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class MessagingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Send_gets_sent_and_reaches_the_other_member_and_the_senders_other_devices_but_not_the_sending_connection()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var phone = await Server.Api.ConnectAsync(alice);
        await using var laptop = await Server.Api.ConnectAsync(alice);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await laptop.RoundTripAsync();
        await bobWs.RoundTripAsync();

        var sent = await phone.SendMessageAsync(chat, "hi bob", "c-1");
        Assert.Equal("sent", WsClient.Type(sent));
        Assert.Equal(1, (long)sent["seq"]!);
        Assert.Equal(chat, (string?)sent["conversationId"]);
        Assert.StartsWith("m_", (string?)sent["messageId"]);
        Assert.NotNull(sent["sentAt"]);

        var atBob = (await bobWs.WaitForTypeAsync("message"))["message"]!;
        Assert.Equal("hi bob", (string?)atBob["text"]);
        Assert.Equal(alice.UserId, (string?)atBob["senderId"]);
        Assert.Equal("c-1", (string?)atBob["clientMessageId"]);
        Assert.Equal((string?)sent["messageId"], (string?)atBob["messageId"]);
        Assert.Null(atBob["media"]);
        Assert.Equal(1, (long)(await laptop.WaitForTypeAsync("message"))["message"]!["seq"]!);
        await phone.AssertNoneAsync(f => WsClient.Type(f) == "message");
    }

    [Fact]
    public async Task Send_with_repeated_client_id_stores_once_and_gets_the_same_sent()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var ws = await Server.Api.ConnectAsync(alice);
        var first = await ws.SendMessageAsync(chat, "once", "same-id");
        var second = await ws.SendMessageAsync(chat, "once", "same-id");
        Assert.Equal(first.ToJsonString(), second.ToJsonString());

        var (status, body) = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "same-id", text = "once" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((string?)first["messageId"], (string?)body!["messageId"]);
        Assert.Single(await Server.Api.HistoryAsync(alice, chat));
    }

    [Fact]
    public async Task The_same_client_id_from_two_senders_is_two_messages()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var a = await Server.Api.ConnectAsync(alice);
        await using var b = await Server.Api.ConnectAsync(bob);
        Assert.Equal(1, (long)(await a.SendMessageAsync(chat, "from alice", "shared"))["seq"]!);
        Assert.Equal(2, (long)(await b.SendMessageAsync(chat, "from bob", "shared"))["seq"]!);
    }

    [Fact]
    public async Task A_message_sent_over_http_reaches_every_connection_including_the_senders()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await aliceWs.RoundTripAsync();
        await bobWs.RoundTripAsync();

        var (status, body) = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "h-1", text = "over http" });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, (long)body!["seq"]!);
        Assert.Equal("over http", (string?)(await aliceWs.WaitForTypeAsync("message"))["message"]!["text"]);
        Assert.Equal("over http", (string?)(await bobWs.WaitForTypeAsync("message"))["message"]!["text"]);
    }

    [Fact]
    public async Task History_pages_newest_before_and_after_always_ascending_and_clamps_the_limit()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var ws = await Server.Api.ConnectAsync(alice);
        for (var i = 1; i <= 12; i++)
        {
            await ws.SendMessageAsync(chat, $"m{i}");
        }

        long[] Seqs(List<System.Text.Json.Nodes.JsonObject> page) => page.Select(m => (long)m["seq"]!).ToArray();
        Assert.Equal(new long[] { 10, 11, 12 }, Seqs(await Server.Api.HistoryAsync(alice, chat, "?limit=3")));
        Assert.Equal(new long[] { 5, 6, 7 }, Seqs(await Server.Api.HistoryAsync(alice, chat, "?beforeSeq=8&limit=3")));
        Assert.Equal(new long[] { 3, 4, 5 }, Seqs(await Server.Api.HistoryAsync(alice, chat, "?afterSeq=2&limit=3")));
        Assert.Equal(12, (await Server.Api.HistoryAsync(alice, chat, "?limit=1000")).Count);
        Assert.Equal(12, (await Server.Api.HistoryAsync(alice, chat)).Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.GetAsync(alice, $"/api/conversations/{chat}/messages?limit=abc")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.GetAsync(alice, $"/api/conversations/{chat}/messages?afterSeq=-1")).Status);
    }

    [Fact]
    public async Task Text_over_4096_code_points_is_too_large_and_stores_nothing()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var ws = await Server.Api.ConnectAsync(alice);
        var emoji = string.Concat(Enumerable.Repeat("😀", 4096));
        Assert.Equal("sent", WsClient.Type(await ws.SendMessageAsync(chat, emoji, "fits")));
        var error = await ws.SendMessageAsync(chat, emoji + "!", "too-long");
        Assert.Equal("error", WsClient.Type(error));
        Assert.Equal("too_large", (string?)error["code"]);
        Assert.Equal("too-long", (string?)error["ref"]);
        var (status, _) = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "http-long", text = new string('a', 4097) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Single(await Server.Api.HistoryAsync(alice, chat));
    }

    [Fact]
    public async Task Typing_reaches_the_other_members_only()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var group = await Server.Api.GroupAsync(alice, bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await using var aliceOther = await Server.Api.ConnectAsync(alice);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await bobWs.RoundTripAsync();
        await aliceOther.RoundTripAsync();

        await aliceWs.SendAsync(new { type = "typing", conversationId = group });
        var typing = await bobWs.WaitForTypeAsync("typing");
        Assert.Equal(group, (string?)typing["conversationId"]);
        Assert.Equal(alice.UserId, (string?)typing["userId"]);
        await aliceOther.AssertNoneAsync(f => WsClient.Type(f) == "typing");
    }

    [Fact]
    public async Task Ping_gets_pong()
    {
        var alice = await Server.Api.RegisterAsync();
        await using var ws = await Server.Api.ConnectAsync(alice);
        await ws.SendAsync(new { type = "ping" });
        await ws.WaitForTypeAsync("pong");
    }

    [Fact]
    public async Task Ten_concurrent_senders_in_one_group_keep_seq_gap_free()
    {
        var members = new List<TestUser>();
        for (var i = 0; i < 10; i++)
        {
            members.Add(await Server.Api.RegisterAsync());
        }

        var group = await Server.Api.GroupAsync(members[0], [.. members.Skip(1)]);
        var clients = await Task.WhenAll(members.Select(m => Server.Api.ConnectAsync(m)));
        try
        {
            const int PerSender = 20;
            var sent = await Task.WhenAll(clients.Select(async (c, i) =>
            {
                var seqs = new List<long>();
                for (var n = 0; n < PerSender; n++)
                {
                    seqs.Add((long)(await c.SendMessageAsync(group, $"{i}:{n}"))["seq"]!);
                }

                return seqs;
            }));

            var all = sent.SelectMany(s => s).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, 10 * PerSender).Select(i => (long)i), all);
            foreach (var perSender in sent)
            {
                Assert.Equal(perSender.Order(), perSender);
            }

            var history = await Server.Api.HistoryAsync(members[0], group, "?limit=200");
            Assert.Equal(Enumerable.Range(1, 10 * PerSender).Select(i => (long)i), history.Select(m => (long)m["seq"]!));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
