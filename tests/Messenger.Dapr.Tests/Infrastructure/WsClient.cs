using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;

namespace Messenger.Dapr.Tests.Infrastructure;

/// <summary>A client's WebSocket to a gateway (the in-memory server's WebSocket client): JSON frames in and out.</summary>
internal sealed class WsClient : IAsyncDisposable
{
    private readonly WebSocket socket;
    private readonly List<JsonObject> seen = [];

    private WsClient(WebSocket socket)
    {
        this.socket = socket;
    }

    public IReadOnlyList<JsonObject> Seen => seen;

    public static async Task<WsClient> ConnectAsync(TestServer server, string token)
    {
        using var timeout = new CancellationTokenSource(TestSettings.Timeout);
        var socket = await server.CreateWebSocketClient()
            .ConnectAsync(new Uri(server.BaseAddress, $"/ws?access_token={Uri.EscapeDataString(token)}"), timeout.Token);
        return new WsClient(socket);
    }

    public async Task SendAsync(object frame)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        using var timeout = new CancellationTokenSource(TestSettings.Timeout);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>Reads frames until one matches; fails after the test timeout.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TestSettings.Timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var frame = await ReceiveAsync(buffer, timeout.Token) ?? throw new Xunit.Sdk.XunitException($"The socket closed before {what}.");
            seen.Add(frame);
            if (match(frame))
            {
                return frame;
            }
        }
    }

    public Task<JsonObject> WaitForTypeAsync(string type, Func<JsonObject, bool>? match = null) =>
        WaitForAsync(f => (string?)f["type"] == type && (match?.Invoke(f) ?? true), $"a {type} frame");

    /// <summary>Sends a ping and collects every frame until the pong: what arrived in the meantime.</summary>
    public async Task<IReadOnlyList<JsonObject>> DrainAsync()
    {
        var before = seen.Count;
        await SendAsync(new { type = "ping" });
        await WaitForTypeAsync("pong");
        return seen.Skip(before).Where(f => (string?)f["type"] != "pong").ToList();
    }

    private async Task<JsonObject?> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException("Timed out waiting for a frame; had: " + string.Join(" ", seen.Select(f => f.ToJsonString())));
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                socket.Abort();
            }
        }

        socket.Dispose();
    }
}
