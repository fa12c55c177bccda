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
    private readonly ClientWebSocket _socket;
    private readonly IFrameSink _sink;
    private readonly Channel<OutboundFrame> _outbound;
    private readonly CancellationTokenSource _stop = new();
    private readonly int _receiveBufferSize;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private int _closed;

    private UserConnection(LoadUser user, ClientWebSocket socket, IFrameSink sink, int receiveBufferSize)
    {
        User = user;
        _socket = socket;
        _sink = sink;
        _receiveBufferSize = receiveBufferSize;
        _outbound = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
    }

    public LoadUser User { get; }

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

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
        connection._receiveLoop = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
        connection._sendLoop = Task.Run(connection.SendLoopAsync, CancellationToken.None);
        return connection;
    }

    public bool EnqueueMessage(string conversationId, string clientMessageId, string text) =>
        _outbound.Writer.TryWrite(new OutboundFrame(conversationId, clientMessageId, text, default));

    public bool EnqueueSync(IReadOnlyDictionary<string, long> cursors)
    {
        Synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteSync(buffer, cursors);
        return _outbound.Writer.TryWrite(new OutboundFrame(null, null, null, buffer.WrittenMemory));
    }

    public bool EnqueuePing()
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        FrameWriter.WritePing(buffer);
        return _outbound.Writer.TryWrite(new OutboundFrame(null, null, null, buffer.WrittenMemory));
    }

    /// <summary>Drops the connection the way a lost network does: no close handshake.</summary>
    public void Abort()
    {
        ClosedByTool = true;
        MarkClosed("aborted by the load tool");
        _socket.Abort();
        _stop.Cancel();
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        ClosedByTool = true;
        _outbound.Writer.TryComplete();
        try
        {
            await _sendLoop.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            // The connection is going away either way.
        }

        MarkClosed("closed by the load tool");
        _stop.Cancel();
        _socket.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        ClosedByTool = true;
        _outbound.Writer.TryComplete();
        _stop.Cancel();
        _socket.Abort();
        try
        {
            await Task.WhenAll(_receiveLoop, _sendLoop).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or WebSocketException)
        {
            // Loops end on abort; a straggler is not worth more waiting.
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[_receiveBufferSize];
        var assembly = new ArrayBufferWriter<byte>();
        var reason = "closed by the server";
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    reason = $"server closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
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

        if (MarkClosed(reason))
        {
            _outbound.Writer.TryComplete();
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
            _sink.OnBadFrame(this, ex.Message);
            return;
        }

        if (frame.Type == FrameTypes.Synced)
        {
            Synced.TrySetResult();
        }

        _sink.OnFrame(this, frame, receivedAt);
    }

    private async Task SendLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using var writer = new Utf8JsonWriter(buffer);
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(_stop.Token))
            {
                while (_outbound.Reader.TryRead(out var frame))
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

                    await _socket.SendAsync(payload, WebSocketMessageType.Text, true, _stop.Token);
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
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        _sink.OnClosed(this, reason);
        return true;
    }
}
