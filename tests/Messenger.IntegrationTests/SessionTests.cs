using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Messenger.Gateway;
using Messenger.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Messenger.IntegrationTests;

/// <summary>
/// Sessions over real sockets: a refresh rotates the token, logout ends the session with every token of it, a
/// session has an absolute age, and the WebSockets of a session that is over close (4001 ended, 4002 expired) within
/// 5 s on whichever gateway holds them.
/// </summary>
public sealed class SessionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const WebSocketCloseStatus SessionEnded = (WebSocketCloseStatus)4001;
    private const WebSocketCloseStatus SessionExpired = (WebSocketCloseStatus)4002;
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(5);

    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task A_refresh_rotates_the_token_the_old_one_is_401_at_once_on_http_and_websocket_and_cannot_refresh_again()
    {
        var alice = await Server.Api.RegisterAsync();

        var fresh = await RefreshAsync(alice);

        Assert.Equal(SessionOf(alice), SessionOf(fresh));
        Assert.NotEqual(alice.Token, fresh.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.GetAsync(alice, "/api/conversations")).Status);
        Assert.Contains("401", (await Assert.ThrowsAsync<WebSocketException>(() => Server.Api.ConnectAsync(alice))).Message);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.PostAsync(alice, "/api/auth/refresh", new { })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.PostAsync(alice, "/api/auth/logout", new { })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Server.Api.GetAsync(fresh, "/api/conversations")).Status);
        await using var ws = await Server.Api.ConnectAsync(fresh);
        await ws.RoundTripAsync();
    }

    [Fact]
    public async Task Two_refreshes_of_one_token_at_once_give_one_new_token()
    {
        var alice = await Server.Api.RegisterAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Server.Api.PostAsync(alice, "/api/auth/refresh", new { })));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
    }

    [Fact]
    public async Task Logout_ends_the_session_with_every_token_of_it_and_leaves_the_users_other_sessions_alone()
    {
        var alice = await Server.Api.RegisterAsync();
        var elsewhere = await LoginAsync(alice);
        var fresh = await RefreshAsync(alice);

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(fresh, "/api/auth/logout", new { })).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.GetAsync(fresh, "/api/conversations")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.GetAsync(alice, "/api/conversations")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api.PostAsync(fresh, "/api/auth/refresh", new { })).Status);
        Assert.Contains("401", (await Assert.ThrowsAsync<WebSocketException>(() => Server.Api.ConnectAsync(fresh))).Message);
        Assert.Equal(HttpStatusCode.OK, (await Server.Api.GetAsync(elsewhere, "/api/conversations")).Status);
    }

    [Fact]
    public async Task Logout_closes_the_sessions_websockets_on_both_gateways_within_5_s_with_4001_and_no_other_sessions()
    {
        var alice = await Server.Api.RegisterAsync();
        var elsewhere = await LoginAsync(alice);
        await using var onFirst = await Server.Api.ConnectAsync(alice);
        await using var onSecond = await Server.SecondGatewayApi.ConnectAsync(alice);
        await using var otherSession = await Server.SecondGatewayApi.ConnectAsync(elsewhere);
        await Task.WhenAll(onFirst.RoundTripAsync(), onSecond.RoundTripAsync(), otherSession.RoundTripAsync());

        // The sockets belong to the session, not to the token they were opened with: a refresh leaves them open.
        var fresh = await RefreshAsync(alice);
        await Task.WhenAll(onFirst.RoundTripAsync(), onSecond.RoundTripAsync());

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Api.PostAsync(fresh, "/api/auth/logout", new { })).Status);
        await Task.WhenAll(onFirst.Closed, onSecond.Closed).WaitAsync(CloseWithin);

        Assert.True(clock.Elapsed < CloseWithin, $"closed after {clock.Elapsed}");
        Assert.Equal(SessionEnded, onFirst.CloseStatus);
        Assert.Equal(SessionEnded, onSecond.CloseStatus);
        await otherSession.RoundTripAsync();
    }

    [Fact]
    public async Task A_session_is_never_refreshed_past_its_absolute_age_and_its_tokens_are_401_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartAsync(time, tokenLifetime: "00:04:00", sessionMaxAge: "00:10:00");
        var start = time.GetUtcNow();
        var alice = await server.Api.RegisterAsync();

        time.Advance(TimeSpan.FromMinutes(3));
        var second = await RefreshAsync(server, alice);
        time.Advance(TimeSpan.FromMinutes(3));
        var third = await RefreshAsync(server, second);

        Assert.Equal(start.AddMinutes(7).ToUnixTimeSeconds(), ExpiresOf(second).ToUnixTimeSeconds());
        Assert.Equal(start.AddMinutes(10).ToUnixTimeSeconds(), ExpiresOf(third).ToUnixTimeSeconds());
        time.Advance(TimeSpan.FromMinutes(3.5));
        var last = await RefreshAsync(server, third);
        Assert.Equal(start.AddMinutes(10).ToUnixTimeSeconds(), ExpiresOf(last).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync(last, "/api/conversations")).Status);

        time.Advance(TimeSpan.FromMinutes(0.5) + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Api.GetAsync(last, "/api/conversations")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Api.PostAsync(last, "/api/auth/refresh", new { })).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync(await LoginAsync(server, alice), "/api/conversations")).Status);
    }

    [Fact]
    public async Task An_open_websocket_closes_within_5_s_with_4002_when_its_token_expires_unrefreshed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartAsync(time, tokenLifetime: "00:01:00", sessionMaxAge: "1.00:00:00");
        var alice = await server.Api.RegisterAsync();
        await using var ws = await server.Api.ConnectAsync(alice);
        await ws.RoundTripAsync();

        time.Advance(TimeSpan.FromSeconds(30));
        await WatchAsync(server);
        await ws.RoundTripAsync();

        var clock = Stopwatch.StartNew();
        time.Advance(TimeSpan.FromSeconds(31));
        await ws.Closed.WaitAsync(CloseWithin);

        Assert.True(clock.Elapsed < CloseWithin, $"closed after {clock.Elapsed}");
        Assert.Equal(SessionExpired, ws.CloseStatus);
    }

    [Fact]
    public async Task A_refreshed_sessions_websocket_outlives_its_first_token_and_closes_within_5_s_at_the_sessions_absolute_age()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartAsync(time, tokenLifetime: "00:04:00", sessionMaxAge: "00:10:00");
        var alice = await server.Api.RegisterAsync();
        await using var ws = await server.SecondGatewayApi.ConnectAsync(alice);
        await ws.RoundTripAsync();

        time.Advance(TimeSpan.FromMinutes(3));
        var token = await RefreshAsync(server, alice);
        time.Advance(TimeSpan.FromMinutes(3));
        token = await RefreshAsync(server, token);
        await WatchAsync(server);
        await ws.RoundTripAsync();
        time.Advance(TimeSpan.FromMinutes(3.5));
        await RefreshAsync(server, token);
        await WatchAsync(server);
        await ws.RoundTripAsync();

        var clock = Stopwatch.StartNew();
        time.Advance(TimeSpan.FromMinutes(0.5) + TimeSpan.FromSeconds(1));
        await ws.Closed.WaitAsync(CloseWithin);

        Assert.True(clock.Elapsed < CloseWithin, $"closed after {clock.Elapsed}");
        Assert.Equal(SessionExpired, ws.CloseStatus);
    }

    private static Task<StandaloneServer> StartAsync(FakeTimeProvider time, string tokenLifetime, string sessionMaxAge) =>
        StandaloneServer.StartAsync(new StandaloneServerOptions
        {
            Settings = ["--Messenger:Auth:TokenLifetime", tokenLifetime, "--Messenger:Auth:SessionMaxAge", sessionMaxAge],
            SecondGatewaySettings = [],
            Services = s => s.AddSingleton<TimeProvider>(time),
        });

    /// <summary>Runs one check of every gateway's session watch now (on the fake clock), as its timer would.</summary>
    private static async Task WatchAsync(StandaloneServer server)
    {
        foreach (var watch in server.Get<IEnumerable<IHostedService>>().OfType<SessionWatch>())
        {
            await watch.CheckAsync(CancellationToken.None);
        }

        if (server.SecondGatewayServices is { } second)
        {
            foreach (var watch in second.GetServices<IHostedService>().OfType<SessionWatch>())
            {
                await watch.CheckAsync(CancellationToken.None);
            }
        }
    }

    private Task<TestUser> RefreshAsync(TestUser user) => RefreshAsync(Server, user);

    private static async Task<TestUser> RefreshAsync(StandaloneServer server, TestUser user)
    {
        var (status, body) = await server.Api.PostAsync(user, "/api/auth/refresh", new { });
        Assert.Equal(HttpStatusCode.OK, status);
        return user with { Token = (string)body!["token"]! };
    }

    private Task<TestUser> LoginAsync(TestUser user) => LoginAsync(Server, user);

    private static async Task<TestUser> LoginAsync(StandaloneServer server, TestUser user)
    {
        var (status, body) = await server.Api.PostAsync(null, "/api/auth/login", new { username = user.Username, password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.OK, status);
        return user with { Token = (string)body!["token"]! };
    }

    private static string SessionOf(TestUser user) => new JsonWebToken(user.Token).GetClaim(Messenger.Hosting.MessengerClaims.SessionId).Value;

    private static DateTimeOffset ExpiresOf(TestUser user) => new JsonWebToken(user.Token).ValidTo;
}
