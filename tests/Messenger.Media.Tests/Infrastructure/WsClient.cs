using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Messenger.Media.Tests.Infrastructure;

/// <summary>A protocol client over a real WebSocket: sends JSON frames and keeps every frame it receives.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket socket = new();
    private readonly Channel<JsonObject> inbox = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> seen = [];
    private Task? receiving;

    public static async Task<WsClient> ConnectAsync(Uri baseAddress, string token)
    {
        var client = new WsClient();
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/ws", Query = "access_token=" + Uri.EscapeDataString(token) }.Uri;
        using var timeout = new CancellationTokenSource(DefaultWait);
        await client.socket.ConnectAsync(uri, timeout.Token);
        client.receiving = client.ReceiveLoopAsync();
        return client;
    }

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.Serialize(frame, JsonSerializerOptions.Web));

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultWait);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next frame (not seen before) that matches, waiting up to <paramref name="wait"/>.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan? wait = null)
    {
        lock (seen)
        {
            var index = seen.FindIndex(f => match(f));
            if (index >= 0)
            {
                var found = seen[index];
                seen.RemoveAt(index);
                return found;
            }
        }

        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            while (true)
            {
                var frame = await inbox.Reader.ReadAsync(timeout.Token);
                if (match(frame))
                {
                    return frame;
                }

                lock (seen)
                {
                    seen.Add(frame);
                }
            }
        }
        catch (OperationCanceledException)
        {
            string held;
            lock (seen)
            {
                held = string.Join("\n", seen.Select(f => f.ToJsonString()));
            }

            throw new TimeoutException($"No matching frame within {(wait ?? DefaultWait).TotalSeconds}s. Frames received and not taken:\n{held}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed ({socket.CloseStatus}) before a matching frame came.");
        }
    }

    public Task<JsonObject> WaitForTypeAsync(string type, TimeSpan? wait = null) => WaitForAsync(f => Type(f) == type, wait);

    public async Task CloseAsync()
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(DefaultWait);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        socket.Dispose();
        if (receiving is not null)
        {
            await receiving;
        }
    }

    public static string? Type(JsonObject frame) => (string?)frame["type"];

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                inbox.Writer.TryWrite(JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject());
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            inbox.Writer.TryComplete();
        }
    }
}
