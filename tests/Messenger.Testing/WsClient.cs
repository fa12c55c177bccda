using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Messenger.Testing;

/// <summary>
/// A protocol client over any <see cref="WebSocket"/> (a real <see cref="ClientWebSocket"/>, or the in-memory socket of
/// ASP.NET Core's TestServer): sends JSON frames and keeps every frame it receives, with the <see cref="Stopwatch"/>
/// timestamp of its arrival.
/// </summary>
public sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan StandardWait = TimeSpan.FromSeconds(10);
    private readonly WebSocket socket;
    private readonly TimeSpan defaultWait;
    private readonly Action<JsonObject, long>? onFrame;
    private readonly Channel<JsonObject> inbox = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> seen = [];
    private readonly List<JsonObject> received = [];
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly Task receiving;

    private WsClient(WebSocket socket, TimeSpan? defaultWait, Action<JsonObject, long>? onFrame)
    {
        this.socket = socket;
        this.defaultWait = defaultWait ?? StandardWait;
        this.onFrame = onFrame;
        receiving = ReceiveLoopAsync();
    }

    /// <summary>The close status the server sent, once the connection has ended (null when it was dropped without one).</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public WebSocketState State => socket.State;

    /// <summary>Completes when the connection has ended, however it ended.</summary>
    public Task Closed => closed.Task;

    /// <summary>Every frame received so far, in order of arrival, taken or not.</summary>
    public IReadOnlyList<JsonObject> Received
    {
        get
        {
            lock (received)
            {
                return received.ToList();
            }
        }
    }

    /// <summary>Connects a real WebSocket to the host's <c>/ws</c>; <paramref name="onFrame"/>, when given, sees every frame with its arrival timestamp, on the receive loop.</summary>
    public static async Task<WsClient> ConnectAsync(Uri baseAddress, string token, Action<JsonObject, long>? onFrame = null)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(StandardWait);
        try
        {
            await socket.ConnectAsync(SocketUri(baseAddress, token), timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new WsClient(socket, null, onFrame);
    }

    /// <summary>
    /// Connects through <paramref name="connect"/> (such as TestServer's <c>CreateWebSocketClient().ConnectAsync</c>) to
    /// the host's <c>/ws</c>; waits for frames take up to <paramref name="defaultWait"/> unless told otherwise.
    /// </summary>
    public static async Task<WsClient> ConnectAsync(
        Func<Uri, CancellationToken, Task<WebSocket>> connect, Uri baseAddress, string token, TimeSpan? defaultWait = null)
    {
        using var timeout = new CancellationTokenSource(defaultWait ?? StandardWait);
        return Over(await connect(SocketUri(baseAddress, token), timeout.Token), defaultWait);
    }

    /// <summary>A client over a WebSocket that is already open; the client owns it from now on.</summary>
    public static WsClient Over(WebSocket socket, TimeSpan? defaultWait = null, Action<JsonObject, long>? onFrame = null) =>
        new(socket, defaultWait, onFrame);

    /// <summary>The protocol's WebSocket address at a host, with the token in the query.</summary>
    public static Uri SocketUri(Uri baseAddress, string token) =>
        new UriBuilder(baseAddress)
        {
            Scheme = baseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = "/ws",
            Query = "access_token=" + Uri.EscapeDataString(token),
        }.Uri;

    public static string? Type(JsonObject frame) => (string?)frame["type"];

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.Serialize(frame, JsonSerializerOptions.Web));

    public Task SendRawAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(defaultWait);
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

        using var timeout = new CancellationTokenSource(wait ?? defaultWait);
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
            throw new TimeoutException($"No matching frame within {(wait ?? defaultWait).TotalSeconds}s. Frames received and not taken:\n{Held()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed ({CloseStatus}) before a matching frame came. Frames not taken:\n{Held()}");
        }
    }

    /// <summary>The next frame (not taken before) of <paramref name="type"/> that matches <paramref name="match"/>, if given.</summary>
    public Task<JsonObject> WaitForTypeAsync(string type, Func<JsonObject, bool>? match = null) =>
        WaitForAsync(f => Type(f) == type && (match?.Invoke(f) ?? true));

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

    /// <summary>Sends a ping and waits for the pong, then takes every frame not taken yet (the pong aside).</summary>
    public async Task<List<JsonObject>> DrainAsync()
    {
        await RoundTripAsync();
        return TakeAll();
    }

    /// <summary>Sends a message and waits for its <c>sent</c> or <c>error</c>.</summary>
    public async Task<JsonObject> SendMessageAsync(string conversationId, string text, string? clientMessageId = null)
    {
        var id = clientMessageId ?? Guid.NewGuid().ToString("n");
        await SendAsync(new { type = "send", conversationId, clientMessageId = id, text });
        return await WaitForAsync(f => IsOutcomeOf(f, id));
    }

    /// <summary>
    /// Sends a frame that stores an event (<c>send</c>, <c>react</c>, <c>edit</c>, <c>delete</c>: <paramref name="frame"/>
    /// without its <c>clientMessageId</c>, which is made here unless given) and waits for its <c>sent</c> or <c>error</c>.
    /// </summary>
    public async Task<JsonObject> StoreAsync(JsonObject frame, string? clientMessageId = null)
    {
        var id = clientMessageId ?? Guid.NewGuid().ToString("n");
        frame["clientMessageId"] = id;
        await SendRawAsync(frame.ToJsonString());
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

    /// <summary>Closes the connection (a normal closure) and waits for the server's close answer.</summary>
    public async Task CloseAsync()
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // Only the close frame is sent here: the receive loop reads the answer (a second reader would race it).
            using var timeout = new CancellationTokenSource(defaultWait);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }

        await closed.Task.WaitAsync(defaultWait);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or IOException or InvalidOperationException)
        {
            socket.Abort();
        }

        socket.Dispose();
        await receiving;
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
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
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
                lock (received)
                {
                    received.Add(frame);
                }

                onFrame?.Invoke(frame, at);
                inbox.Writer.TryWrite(frame);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
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
