using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Messenger.Testing;

/// <summary>
/// A protocol client over a real WebSocket: sends JSON frames and keeps every frame it receives, with the
/// <see cref="Stopwatch"/> timestamp of its arrival.
/// </summary>
public sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket socket = new();
    private readonly Channel<JsonObject> inbox = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> seen = [];
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private Action<JsonObject, long>? onFrame;
    private Task? receiving;

    /// <summary>The close status the server sent, once the connection has ended (null when it was dropped without one).</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public WebSocketState State => socket.State;

    /// <summary>Completes when the connection has ended, however it ended.</summary>
    public Task Closed => closed.Task;

    /// <summary>Connects; <paramref name="onFrame"/>, when given, sees every frame with its arrival timestamp, on the receive loop.</summary>
    public static async Task<WsClient> ConnectAsync(Uri baseAddress, string token, Action<JsonObject, long>? onFrame = null)
    {
        var client = new WsClient { onFrame = onFrame };
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/ws", Query = "access_token=" + Uri.EscapeDataString(token) }.Uri;
        using var timeout = new CancellationTokenSource(DefaultWait);
        try
        {
            await client.socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            client.socket.Dispose();
            throw;
        }

        client.receiving = client.ReceiveLoopAsync();
        return client;
    }

    public static string? Type(JsonObject frame) => (string?)frame["type"];

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.Serialize(frame, JsonSerializerOptions.Web));

    public Task SendRawAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(DefaultWait);
        await sendLock.WaitAsync(timeout.Token);
        try
        {
            await socket.SendAsync(bytes, type, true, timeout.Token);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>The next frame (not taken before) that matches, waiting up to <paramref name="wait"/>.</summary>
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
            throw new TimeoutException($"No matching frame within {(wait ?? DefaultWait).TotalSeconds}s. Frames received and not taken:\n{Held()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed ({CloseStatus}) before a matching frame came. Frames not taken:\n{Held()}");
        }
    }

    public Task<JsonObject> WaitForTypeAsync(string type) => WaitForAsync(f => Type(f) == type);

    /// <summary>Every frame received so far and not taken, taken now.</summary>
    public List<JsonObject> TakeAll()
    {
        lock (seen)
        {
            while (inbox.Reader.TryRead(out var frame))
            {
                seen.Add(frame);
            }

            var all = seen.ToList();
            seen.Clear();
            return all;
        }
    }

    /// <summary>Asserts that no frame matching <paramref name="match"/> arrives within <paramref name="window"/> (half a second by default).</summary>
    public async Task AssertNoneAsync(Func<JsonObject, bool> match, TimeSpan? window = null)
    {
        try
        {
            var frame = await WaitForAsync(match, window ?? TimeSpan.FromMilliseconds(500));
            Assert.Fail("Unexpected frame: " + frame.ToJsonString());
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Sends a ping and waits for the pong: every frame sent before it has been handled.</summary>
    public async Task RoundTripAsync()
    {
        await SendAsync(new { type = "ping" });
        await WaitForTypeAsync("pong");
    }

    /// <summary>Sends a message and waits for its <c>sent</c> or <c>error</c>.</summary>
    public async Task<JsonObject> SendMessageAsync(string conversationId, string text, string? clientMessageId = null)
    {
        var id = clientMessageId ?? Guid.NewGuid().ToString("n");
        await SendAsync(new { type = "send", conversationId, clientMessageId = id, text });
        return await WaitForAsync(f => IsOutcomeOf(f, id));
    }

    public static bool IsOutcomeOf(JsonObject frame, string clientMessageId) =>
        (Type(frame) == "sent" && (string?)frame["clientMessageId"] == clientMessageId)
        || (Type(frame) == "error" && (string?)frame["ref"] == clientMessageId);

    /// <summary>
    /// Sends <c>sync</c> with <paramref name="cursors"/> (serialized as it is: a conversation-to-seq dictionary, or any
    /// object, such as an empty one) and returns the messages up to <c>synced</c>.
    /// </summary>
    public async Task<List<JsonObject>> SyncAsync(object cursors)
    {
        await SendAsync(new { type = "sync", cursors });
        var messages = new List<JsonObject>();
        while (true)
        {
            var frame = await WaitForAsync(f => Type(f) is "message" or "synced");
            if (Type(frame) == "synced")
            {
                return messages;
            }

            messages.Add(frame["message"]!.AsObject());
        }
    }

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
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        socket.Dispose();
        if (receiving is not null)
        {
            await receiving;
        }
    }

    private string Held()
    {
        lock (seen)
        {
            return string.Join("\n", seen.TakeLast(20).Select(f => f.ToJsonString()));
        }
    }

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

                var at = Stopwatch.GetTimestamp();
                var frame = JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject();
                onFrame?.Invoke(frame, at);
                inbox.Writer.TryWrite(frame);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            CloseStatus = socket.CloseStatus;
            inbox.Writer.TryComplete();
            closed.TrySetResult();
        }
    }
}
