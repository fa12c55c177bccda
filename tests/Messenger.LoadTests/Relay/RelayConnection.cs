using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Relay;

/// <summary>
/// One relay WebSocket: reads client frames and forwards <c>send</c> to the other members' connections, with a
/// bounded outbound queue per connection (overflow closes the connection, as the contract says for slow clients).
/// </summary>
public sealed class RelayConnection(WebSocket socket, RelayUser user, RelayState state)
{
    private const int OutboundCapacity = 8192;
    private const int InitialReceiveBuffer = 1024;
    private const int MaxFrameBytes = 64 * 1024;
    private static readonly byte[] Pong = RelayFrames.Simple(FrameTypes.Pong);
    private static readonly byte[] Synced = RelayFrames.Simple(FrameTypes.Synced);

    private readonly Channel<byte[]> outbound = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(OutboundCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = SendLoopAsync(stop.Token);
        try
        {
            await ReceiveLoopAsync(stop.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The peer went away.
        }
        finally
        {
            outbound.Writer.TryComplete();
            await stop.CancelAsync();
            await sending;
        }
    }

    public void Enqueue(byte[] frame)
    {
        if (!outbound.Writer.TryWrite(frame))
        {
            // Too slow a reader: drop the connection; the client resyncs when it comes back.
            outbound.Writer.TryComplete();
            socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // Small to start with, grown up to the 64 KiB frame limit only for a connection that needs it.
        var buffer = new byte[InitialReceiveBuffer];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= MaxFrameBytes)
                    {
                        Enqueue(RelayFrames.Error("too_large", "frame over 64 KiB", null));
                        return;
                    }

                    Array.Resize(ref buffer, Math.Min(MaxFrameBytes, buffer.Length * 4));
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                count += result.Count;
            }
            while (!result.EndOfMessage);

            Handle(buffer.AsSpan(0, count));
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        ClientFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(json, LoadJsonContext.Default.ClientFrame);
        }
        catch (JsonException)
        {
            frame = null;
        }

        switch (frame?.Type)
        {
            case FrameTypes.Send:
                Forward(frame);
                break;
            case FrameTypes.Sync:
                Enqueue(Synced); // nothing is stored, so there is nothing to replay
                break;
            case FrameTypes.Ping:
                Enqueue(Pong);
                break;
            case null:
                Enqueue(RelayFrames.Error("bad_request", "not a frame", null));
                break;
        }
    }

    private void Forward(ClientFrame frame)
    {
        var conversation = frame.ConversationId is null ? null : state.Conversation(frame.ConversationId);
        if (conversation is null || !conversation.HasMember(user))
        {
            Enqueue(RelayFrames.Error("not_found", "no such conversation", frame.ClientMessageId));
            return;
        }

        var messageId = Guid.NewGuid().ToString("N");
        var sentAt = DateTimeOffset.UtcNow;
        lock (conversation.Gate)
        {
            var seq = ++conversation.LastSeq;
            var message = RelayFrames.Message(messageId, conversation, seq, user, frame.ClientMessageId, frame.Text, sentAt);
            foreach (var member in conversation.Members)
            {
                foreach (var connection in member.Connections)
                {
                    if (connection != this)
                    {
                        connection.Enqueue(message);
                    }
                }
            }

            Enqueue(RelayFrames.Sent(messageId, conversation.ConversationId, seq, frame.ClientMessageId, sentAt));
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await outbound.Reader.WaitToReadAsync(cancellationToken))
            {
                while (outbound.Reader.TryRead(out var frame))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The connection is gone; its receive loop ends too.
        }
    }
}
