using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class ReceiptTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Delivered_then_read_send_receipts_to_the_sender_and_read_implies_delivered()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await bobWs.RoundTripAsync();
        await aliceWs.SendMessageAsync(chat, "one");
        await aliceWs.SendMessageAsync(chat, "two");

        await bobWs.SendAsync(new { type = "delivered", conversationId = chat, seq = 1 });
        var delivered = await aliceWs.WaitForTypeAsync("receipt");
        Assert.Equal(bob.UserId, (string?)delivered["userId"]);
        Assert.Equal(1, (long)delivered["deliveredSeq"]!);
        Assert.Equal(0, (long)delivered["readSeq"]!);

        await bobWs.SendAsync(new { type = "read", conversationId = chat, seq = 2 });
        var read = await aliceWs.WaitForTypeAsync("receipt");
        Assert.Equal(2, (long)read["deliveredSeq"]!);
        Assert.Equal(2, (long)read["readSeq"]!);
        await bobWs.AssertNoneAsync(f => WsClient.Type(f) == "receipt");
    }

    [Fact]
    public async Task Cursors_never_move_back_and_a_seq_past_the_end_is_clamped()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await using var bobWs = await Server.Api.ConnectAsync(bob);
        await aliceWs.SendMessageAsync(chat, "one");
        await aliceWs.SendMessageAsync(chat, "two");

        await bobWs.SendAsync(new { type = "read", conversationId = chat, seq = 99 });
        var clamped = await aliceWs.WaitForTypeAsync("receipt");
        Assert.Equal(2, (long)clamped["readSeq"]!);
        await bobWs.SendAsync(new { type = "read", conversationId = chat, seq = 1 });
        await bobWs.SendAsync(new { type = "delivered", conversationId = chat, seq = 1 });
        await bobWs.RoundTripAsync();
        await aliceWs.AssertNoneAsync(f => WsClient.Type(f) == "receipt");
        Assert.Equal(0, (long)(await Server.Api.ConversationsAsync(bob)).Single()["unreadCount"]!);
    }

    [Fact]
    public async Task Read_over_http_sends_the_receipt_too()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await aliceWs.SendMessageAsync(chat, "one");
        await Server.Api.PostAsync(bob, $"/api/conversations/{chat}/read", new { seq = 1 });
        var receipt = await aliceWs.WaitForTypeAsync("receipt");
        Assert.Equal(1, (long)receipt["readSeq"]!);
    }
}
