using System.Net.WebSockets;
using System.Text;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class FrameErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Theory]
    [InlineData("", "bad_request")]
    [InlineData("not json", "bad_request")]
    [InlineData("[1,2]", "bad_request")]
    [InlineData("{\"conversationId\":\"c_1\"}", "bad_request")]
    [InlineData("{\"type\":\"shout\"}", "bad_request")]
    [InlineData("{\"type\":\"send\",\"conversationId\":5,\"clientMessageId\":\"x\",\"text\":\"hi\"}", "bad_request")]
    [InlineData("{\"type\":\"send\",\"conversationId\":\"c_1\",\"clientMessageId\":\"x\"}", "bad_request")]
    [InlineData("{\"type\":\"read\",\"conversationId\":\"c_1\",\"seq\":-3}", "bad_request")]
    [InlineData("{\"type\":\"read\",\"conversationId\":\"c_1\",\"seq\":1e400}", "bad_request")]
    [InlineData("{\"type\":\"sync\",\"cursors\":[1]}", "bad_request")]
    [InlineData("{\"type\":\"typing\",\"conversationId\":\"../../etc\"}", "bad_request")]
    [InlineData("{\"type\":\"typing\",\"conversationId\":\"c_doesnotexist\"}", "not_found")]
    [InlineData("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}}}}},\"type\":\"ping\"}", "bad_request")]
    public async Task A_bad_frame_gets_an_error_frame_and_the_connection_stays_open(string frame, string code)
    {
        var alice = await Server.Api.RegisterAsync();
        await using var ws = await Server.Api.ConnectAsync(alice);
        await ws.SendRawAsync(frame);
        var error = await ws.WaitForTypeAsync("error");
        Assert.Equal(code, (string?)error["code"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        await ws.RoundTripAsync();
    }

    [Fact]
    public async Task A_send_error_echoes_the_client_message_id_as_ref()
    {
        var alice = await Server.Api.RegisterAsync();
        await using var ws = await Server.Api.ConnectAsync(alice);
        await ws.SendAsync(new { type = "send", conversationId = "c_nope", clientMessageId = "mine-1", text = "hi" });
        var error = await ws.WaitForTypeAsync("error");
        Assert.Equal("not_found", (string?)error["code"]);
        Assert.Equal("mine-1", (string?)error["ref"]);
    }

    [Theory]
    [InlineData("a||b")]
    [InlineData("a|b")]
    public async Task A_client_message_id_with_a_vertical_bar_is_a_bad_request_over_http_and_websocket_and_stores_nothing(string clientMessageId)
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var conversationId = await Server.Api.DirectAsync(alice, bob);
        await using var ws = await Server.Api.ConnectAsync(alice);

        await ws.SendAsync(new { type = "send", conversationId, clientMessageId, text = "over the socket" });
        var error = await ws.WaitForTypeAsync("error");
        var (status, body) = await Server.Api.PostAsync(alice, $"/api/conversations/{conversationId}/messages", new { clientMessageId, text = "over http" });

        Assert.Equal("bad_request", (string?)error["code"]);
        Assert.Equal(clientMessageId, (string?)error["ref"]);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", (string?)body!["code"]);
        Assert.Empty(await Server.Api.AllMessagesAsync(bob, conversationId));
        await ws.RoundTripAsync();
    }

    [Fact]
    public async Task A_binary_frame_gets_an_error_frame_and_the_connection_stays_open()
    {
        var alice = await Server.Api.RegisterAsync();
        await using var ws = await Server.Api.ConnectAsync(alice);
        await ws.SendBytesAsync(Encoding.UTF8.GetBytes("{\"type\":\"ping\"}"), WebSocketMessageType.Binary);
        Assert.Equal("bad_request", (string?)(await ws.WaitForTypeAsync("error"))["code"]);
        await ws.RoundTripAsync();
    }

    [Fact]
    public async Task A_text_frame_of_invalid_utf8_closes_with_1007_as_RFC_6455_requires()
    {
        var alice = await Server.Api.RegisterAsync();
        await using var ws = await Server.Api.ConnectAsync(alice);
        await ws.SendBytesAsync([0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ws.WaitForTypeAsync("pong"));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, ws.CloseStatus);
        await using var again = await Server.Api.ConnectAsync(alice);
        await again.RoundTripAsync();
    }

    [Fact]
    public async Task A_frame_over_64_KiB_is_too_large_and_the_connection_stays_open()
    {
        var alice = await Server.Api.RegisterAsync();
        await using var ws = await Server.Api.ConnectAsync(alice);
        await ws.SendRawAsync("{\"type\":\"ping\",\"pad\":\"" + new string('x', 70 * 1024) + "\"}");
        Assert.Equal("too_large", (string?)(await ws.WaitForTypeAsync("error"))["code"]);
        await ws.RoundTripAsync();
    }

    [Fact]
    public async Task A_frame_larger_than_the_first_read_buffer_is_read_whole_and_a_small_one_after_it_too()
    {
        var alice = await Server.Api.RegisterAsync();
        await using var ws = await Server.Api.ConnectAsync(alice);
        await ws.SendRawAsync("{\"type\":\"ping\",\"pad\":\"" + new string('x', 20 * 1024) + "\"}");
        await ws.WaitForTypeAsync("pong");
        await ws.RoundTripAsync();
    }
}
