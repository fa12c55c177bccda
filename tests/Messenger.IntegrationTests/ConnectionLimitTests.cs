using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Messenger.Gateway.Connections;

namespace Messenger.IntegrationTests;

/// <summary>The per-user and the gateway-wide connection caps hold under upgrades that arrive all at once.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Parallel_upgrades_of_one_user_never_open_more_than_the_per_user_cap()
    {
        await using var server = await StandaloneServer.StartAsync(null, "--Messenger:Gateway:MaxConnectionsPerUser", "3");
        var alice = await server.Api.RegisterAsync();

        // Rounds of 40 upgrades each on a TCP connection opened beforehand, their requests written all at once.
        for (var round = 0; round < 5; round++)
        {
            var sockets = await RawUpgradesAsync(server.BaseAddress, Enumerable.Repeat(alice, 40));
            try
            {
                var statuses = await Task.WhenAll(sockets.Select(ReadStatusAsync));
                Assert.Equal(3, statuses.Count(s => s == 101));
                Assert.Equal(37, statuses.Count(s => s == 429));
                Assert.True(server.Get<ConnectionRegistry>().Of(alice.UserId).Length <= 3);
            }
            finally
            {
                foreach (var socket in sockets)
                {
                    socket.Dispose();
                }
            }

            await Eventually.HoldsAsync(() => server.Get<ConnectionRegistry>().Slots == 0, "every connection of the round is gone");
        }
    }

    [Fact]
    public async Task Parallel_upgrades_beyond_the_gateway_cap_get_503_with_problem_details_and_a_freed_place_can_be_taken()
    {
        await using var server = await StandaloneServer.StartAsync(null, "--Messenger:Gateway:MaxConnections", "5");
        var users = new List<TestUser>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await server.Api.RegisterAsync());
        }

        var attempts = await UpgradeAllAtOnceAsync(server.BaseAddress, users.SelectMany(u => Enumerable.Repeat(u, 4)));
        try
        {
            Assert.Equal(5, attempts.Count(a => a.Socket is not null));
            Assert.All(attempts.Where(a => a.Socket is null), a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));

            var (status, problem) = await UpgradeOverHttpAsync(server, users[0]);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unavailable", (string?)problem?["code"]);

            var open = attempts.First(a => a.Socket is not null).Socket!;
            await open.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            await Eventually.HoldsAsync(() => server.Get<ConnectionRegistry>().Slots == 4, "the closed connection's place is freed");
            await using var again = await server.Api.ConnectAsync(users[5]);
            await again.RoundTripAsync();
        }
        finally
        {
            await CloseAllAsync(attempts);
        }
    }

    [Fact]
    public void Slots_taken_from_many_threads_at_once_never_pass_either_cap_and_come_back_when_released()
    {
        var registry = new ConnectionRegistry();
        var taken = new System.Collections.Concurrent.ConcurrentBag<ConnectionSlot>();
        var refusals = new System.Collections.Concurrent.ConcurrentBag<ConnectionRefusal>();

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var slot = registry.TryReserve($"u{i % 40}", maxPerUser: 7, maxConnections: 250, out var refusal);
            if (slot is null)
            {
                refusals.Add(refusal);
            }
            else
            {
                taken.Add(slot);
            }
        });

        Assert.Equal(250, taken.Count);
        Assert.Equal(250, registry.Slots);
        Assert.All(taken.GroupBy(s => s.UserId), g => Assert.True(g.Count() <= 7, $"{g.Key} holds {g.Count()}"));
        Assert.Contains(ConnectionRefusal.GatewayLimit, refusals);
        foreach (var slot in taken)
        {
            slot.Dispose();
            slot.Dispose();
        }

        Assert.Equal(0, registry.Slots);
        Assert.NotNull(registry.TryReserve("u0", maxPerUser: 1, maxConnections: 1, out _));
    }

    /// <summary>Opens a TCP connection per user first, then writes every upgrade request at the same moment.</summary>
    private static async Task<List<System.Net.Sockets.Socket>> RawUpgradesAsync(Uri baseAddress, IEnumerable<TestUser> users)
    {
        var prepared = new List<(System.Net.Sockets.Socket Socket, byte[] Request)>();
        foreach (var user in users)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
            var request = $"GET /ws?access_token={user.Token} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\n\r\n";
            prepared.Add((socket, System.Text.Encoding.ASCII.GetBytes(request)));
        }

        using var start = new ManualResetEventSlim();
        var writes = prepared.Select(p => Task.Run(() =>
        {
            start.Wait();
            p.Socket.Send(p.Request);
        })).ToList();
        start.Set();
        await Task.WhenAll(writes);
        return [.. prepared.Select(p => p.Socket)];
    }

    /// <summary>The status code of the response on <paramref name="socket"/>.</summary>
    private static async Task<int> ReadStatusAsync(System.Net.Sockets.Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<byte>();
        var buffer = new byte[1024];
        while (!System.Text.Encoding.ASCII.GetString([.. received]).Contains("\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var line = System.Text.Encoding.ASCII.GetString([.. received]).Split("\r\n")[0];
        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<(ClientWebSocket? Socket, HttpStatusCode Status)>> UpgradeAllAtOnceAsync(Uri baseAddress, IEnumerable<TestUser> users)
    {
        using var start = new ManualResetEventSlim();
        var tasks = users.Select(user => Task.Run(async () =>
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            start.Wait();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await socket.ConnectAsync(WsClient.SocketUri(baseAddress, user.Token), timeout.Token);
                return ((ClientWebSocket?)socket, socket.HttpStatusCode);
            }
            catch (WebSocketException)
            {
                var status = socket.HttpStatusCode;
                socket.Dispose();
                return (null, status);
            }
        })).ToList();
        start.Set();
        return [.. await Task.WhenAll(tasks)];
    }

    private static async Task CloseAllAsync(IEnumerable<(ClientWebSocket? Socket, HttpStatusCode Status)> attempts)
    {
        foreach (var socket in attempts.Select(a => a.Socket).OfType<ClientWebSocket>())
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                }
            }

            socket.Dispose();
        }
    }

    /// <summary>A WebSocket upgrade sent as a plain HTTP request, to read the refusal's problem details.</summary>
    private static async Task<(HttpStatusCode Status, JsonObject? Problem)> UpgradeOverHttpAsync(StandaloneServer server, TestUser user)
    {
        using var http = server.CreateHttpClient(user.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ws");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>());
    }
}
