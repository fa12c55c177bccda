using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Messenger.Hosting;
using Messenger.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messenger.IntegrationTests;

/// <summary>Limits, origins, logout: each with the server's default settings unless the test says otherwise.</summary>
public sealed class AbuseTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task A_person_typing_never_meets_the_send_limit()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var ws = await Server.Api.ConnectAsync(alice);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal("sent", WsClient.Type(await ws.SendMessageAsync(chat, $"quick message {i}")));
            await ws.SendAsync(new { type = "typing", conversationId = chat });
        }
    }

    [Fact]
    public async Task A_script_flooding_sends_gets_rate_limited_frames_and_keeps_its_connection()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var ws = await Server.Api.ConnectAsync(alice);
        for (var i = 0; i < 400; i++)
        {
            await ws.SendAsync(new { type = "send", conversationId = chat, clientMessageId = $"flood-{i}", text = "spam" });
        }

        var limited = await ws.WaitForAsync(f => WsClient.Type(f) == "error" && (string?)f["code"] == "rate_limited");
        Assert.StartsWith("flood-", (string?)limited["ref"]);
        Assert.Contains("try again", (string?)limited["message"]);
        await ws.RoundTripAsync();
        Assert.Equal(WebSocketState.Open, ws.State);
        var stored = (await Server.Api.ConversationsAsync(alice)).Single()["lastSeq"]!.GetValue<long>();
        Assert.InRange(stored, 100, 399);
    }

    [Fact]
    public async Task Http_sends_share_the_users_bucket_and_get_429_with_retry_after()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        using var http = Server.CreateHttpClient(alice.Token);
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 400 && limited is null; i++)
        {
            var response = await http.PostAsJsonAsync($"/api/conversations/{chat}/messages", new { clientMessageId = $"h{i}", text = "spam" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("rate_limited", (string?)(await limited.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["code"]);
    }

    [Fact]
    public async Task Repeated_failed_logins_back_off_and_a_later_right_password_works()
    {
        var alice = await Server.Api.RegisterAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = "guess guess" })).Status);
        }

        var (waiting, body) = await Server.Api.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = "correct horse" });
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting);
        Assert.Equal("rate_limited", (string?)body!["code"]);

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.Equal(HttpStatusCode.OK, (await Server.Api.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = "correct horse" })).Status);
    }

    [Fact]
    public async Task More_than_ten_connections_of_one_user_are_refused()
    {
        var alice = await Server.Api.RegisterAsync();
        var open = new List<WsClient>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                open.Add(await Server.Api.ConnectAsync(alice));
            }

            var refused = await Assert.ThrowsAsync<WebSocketException>(() => Server.Api.ConnectAsync(alice));
            Assert.Contains("429", refused.Message);
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_websocket_from_a_foreign_origin_is_refused_and_the_own_origin_accepted()
    {
        var alice = await Server.Api.RegisterAsync();
        var uri = new UriBuilder(Server.BaseAddress) { Scheme = "ws", Path = "/ws", Query = "access_token=" + alice.Token }.Uri;
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "https://evil.example");
            var refused = await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(uri, CancellationToken.None));
            Assert.Contains("403", refused.Message);
        }

        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        await own.ConnectAsync(uri, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, own.State);
    }

    [Fact]
    public async Task Logout_revokes_the_token_for_http_and_websocket()
    {
        var alice = await Server.Api.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await Server.Api.GetAsync(alice, "/api/conversations")).Status);
        var (login, body) = await Server.Api.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.OK, login);
        var otherSession = alice with { Token = (string)body!["token"]! };

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(alice, "/api/auth/logout", new { })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.GetAsync(alice, "/api/conversations")).Status);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => Server.Api.ConnectAsync(alice));
        Assert.Contains("401", refused.Message);
        Assert.Equal(HttpStatusCode.OK, (await Server.Api.GetAsync(otherSession, "/api/conversations")).Status);
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        using var http = Server.CreateHttpClient();
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_connection_that_never_finishes_its_handshake_is_cut_off()
    {
        await using var server = await StandaloneServer.StartAsync(settings: ["--" + HostingExtensions.HandshakeTimeoutKey, "00:00:02"]);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"u8.ToArray());
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // The server answers 408 or just closes; either way the read ends, well before a minute.
        var buffer = new byte[1024];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await stream.ReadAsync(buffer, limit.Token) > 0)
        {
        }

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void The_default_handshake_timeout_is_shorter_than_kestrels()
    {
        var kestrel = Server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.Equal(HostingExtensions.DefaultHandshakeTimeout, kestrel.Limits.RequestHeadersTimeout);
    }
}
