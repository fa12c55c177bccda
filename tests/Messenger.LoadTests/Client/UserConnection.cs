using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Client;

/// <summary>
/// One WebSocket of one user: a receive loop that hands every frame to a sink, and a send loop fed by an
/// unbounded queue (a load run is bounded in count, so the queue is too) because a WebSocket takes one send at a time.
/// </summary>
public sealed class UserConnection : IAsyncDisposable
{
    private readonly ClientWebSocket socket;
    private readonly IFrameSink sink;
    private readonly Channel<OutboundFrame> outbound;
    private readonly CancellationTokenSource stop = new();
    private readonly int receiveBufferSize;
    private Task receiveLoop = Task.CompletedTask;
    private Task sendLoop = Task.CompletedTask;
    private int closed;

    private UserConnection(LoadUser user, ClientWebSocket socket, IFrameSink sink, int receiveBufferSize)
    {
        User = user;
        this.socket = socket;
        this.sink = sink;
        this.receiveBufferSize = receiveBufferSize;
        outbound = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
    }

    public LoadUser User { get; }

    public bool IsOpen => Volatile.Read(ref closed) == 0;

    /// <summary>True once the tool itself closed or dropped the connection, so a close is not a failure.</summary>
    public bool ClosedByTool { get; private set; }

    public TaskCompletionSource Synced { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<UserConnection> ConnectAsync(
        LoadUser user, Uri webSocketBase, WebSocketConnector connector, IFrameSink sink, int receiveBufferSize,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        var uri = new Uri(webSocketBase, $"{ApiPaths.WebSocket}?{ApiPaths.AccessTokenQuery}={Uri.EscapeDataString(user.Token)}");
        try
        {
            await socket.ConnectAsync(uri, connector.Invoker, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new UserConnection(user, socket, sink, receiveBufferSize);
        connection.receiveLoop = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
        connection.sendLoop = Task.Run(connection.SendLoopAsync, CancellationToken.None);
        return connection;
    }

    public bool EnqueueMessage(string conversationId, string clientMessageId, string text) =>
        outbound.Writer.TryWrite(new OutboundFrame(conversationId, clientMessageId, text, default));

    public bool EnqueueSync(IReadOnlyDictionary<string, long> cursors)
    {
        Synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteSync(buffer, cursors);
        return outbound.Writer.TryWrite(new OutboundFrame(null, null, null, buffer.WrittenMemory));
    }

    public bool EnqueuePing()
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        FrameWriter.WritePing(buffer);
        return outbound.Writer.TryWrite(new OutboundFrame(null, null, null, buffer.WrittenMemory));
    }

    /// <summary>Drops the connection the way a lost network does: no close handshake.</summary>
    public void Abort()
    {
        ClosedByTool = true;
        MarkClosed("aborted by the load tool");
        socket.Abort();
        stop.Cancel();
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        ClosedByTool = true;
        outbound.Writer.TryComplete();
        try
        {
            await sendLoop.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            // The connection is going away either way.
        }

        MarkClosed("closed by the load tool");
        stop.Cancel();
        socket.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        ClosedByTool = true;
        outbound.Writer.TryComplete();
        stop.Cancel();
        socket.Abort();
        try
        {
            await Task.WhenAll(receiveLoop, sendLoop).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or WebSocketException)
        {
            // Loops end on abort; a straggler is not worth more waiting.
        }

        socket.Dispose();
        stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[receiveBufferSize];
        var assembly = new ArrayBufferWriter<byte>();
        var reason = "closed by the server";
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    reason = $"server closed: {socket.CloseStatus} {socket.CloseStatusDescription}";
                    break;
                }

                if (result.EndOfMessage && assembly.WrittenCount == 0)
                {
                    Dispatch(buffer.AsSpan(0, result.Count));
                    continue;
                }

                assembly.Write(buffer.AsSpan(0, result.Count));
                if (result.EndOfMessage)
                {
                    Dispatch(assembly.WrittenSpan);
                    assembly.ResetWrittenCount();
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = "stopped";
        }
        catch (WebSocketException ex)
        {
            reason = ex.Message;
        }
        catch (ObjectDisposedException)
        {
            // Aborted (a drop of the storm) between two reads: the next read finds the socket disposed.
            reason = "aborted";
        }

        if (MarkClosed(reason))
        {
            outbound.Writer.TryComplete();
        }
    }

    private void Dispatch(ReadOnlySpan<byte> json)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        ServerFrame frame;
        try
        {
            frame = FrameParser.Parse(json);
        }
        catch (JsonException ex)
        {
            sink.OnBadFrame(this, ex.Message);
            return;
        }

        if (frame.Type == FrameTypes.Synced)
        {
            Synced.TrySetResult();
        }

        sink.OnFrame(this, frame, receivedAt);
    }

    private async Task SendLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using var writer = new Utf8JsonWriter(buffer);
        try
        {
            while (await outbound.Reader.WaitToReadAsync(stop.Token))
            {
                while (outbound.Reader.TryRead(out var frame))
                {
                    ReadOnlyMemory<byte> payload;
                    if (frame.ConversationId is not null)
                    {
                        buffer.ResetWrittenCount();
                        writer.Reset(buffer);
                        FrameWriter.WriteSend(writer, frame.ConversationId, frame.ClientMessageId!, frame.Text!);
                        payload = buffer.WrittenMemory;
                    }
                    else
                    {
                        payload = frame.Raw;
                    }

                    await socket.SendAsync(payload, WebSocketMessageType.Text, true, stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            MarkClosed($"send failed: {ex.Message}");
        }
    }

    private bool MarkClosed(string reason)
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return false;
        }

        sink.OnClosed(this, reason);
        return true;
    }
}
