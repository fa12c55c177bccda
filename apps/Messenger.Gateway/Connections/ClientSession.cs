using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Messenger.Core.Errors;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Messenger.Core.Telemetry;
using Messenger.Hosting.RateLimits;

namespace Messenger.Gateway.Connections;

/// <summary>
/// Reads a connection's frames and acts on each, one at a time and in the order sent, so two sends from one connection
/// get seqs in that order. Reading goes on while a frame is being handled (into a small inbox): the WebSocket only takes
/// in the client's answers to its keep-alive pings while a read is pending, and a gateway that stopped reading for
/// a slow send (or for the connection's registration) would otherwise drop a healthy client as unresponsive.
/// </summary>
internal sealed class ClientSession(
    ClientConnection connection, WebSocket socket, ChatService chat, MessageChangeService changes, ChatRateLimiter limits, GatewayOptions options, ILogger logger)
{
    /// <summary>What a frame borrows first while it is read; a bigger one moves to a pooled buffer of the frame limit.</summary>
    private const int SmallBufferBytes = 2048;

    /// <summary>
    /// Frames read ahead of the one being handled. A client further ahead than that waits for the gateway (its reads
    /// stop until there is room), as it did before the inbox.
    /// </summary>
    private const int InboxCapacity = 64;

    private readonly Channel<FrameParseResult> inbox = Channel.CreateBounded<FrameParseResult>(new BoundedChannelOptions(InboxCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private byte[]? borrowed;

    /// <summary>
    /// Reads frames until the client closes and handles them once <paramref name="registered"/> has completed (the
    /// connection is online and its session checked); every frame read before the close is handled before this ends.
    /// When the handling fails, reading stops too.
    /// </summary>
    public async Task RunAsync(Task registered, CancellationToken cancellationToken)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var handling = HandleAllAsync(registered, reading, cancellationToken);
        try
        {
            await ReadAllAsync(reading.Token);
        }
        finally
        {
            inbox.Writer.TryComplete();
            await handling;
        }
    }

    private async Task ReadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var (frame, kind, tooLarge) = await ReceiveAsync(cancellationToken);
                if (kind == WebSocketMessageType.Close)
                {
                    return;
                }

                var parsed = tooLarge
                    ? new FrameParseResult(null, new ErrorFrame(ErrorCodes.TooLarge, $"A frame is at most {options.MaxFrameBytes} bytes.", null))
                    : kind == WebSocketMessageType.Binary
                        ? new FrameParseResult(null, new ErrorFrame(ErrorCodes.BadRequest, "Frames are JSON text frames.", null))
                        : ClientFrameParser.Parse(frame);
                GiveBackBorrowed();
                await inbox.Writer.WriteAsync(parsed, cancellationToken);
            }
        }
        finally
        {
            GiveBackBorrowed();
        }
    }

    private async Task HandleAllAsync(Task registered, CancellationTokenSource reading, CancellationToken cancellationToken)
    {
        try
        {
            await registered;
            await foreach (var parsed in inbox.Reader.ReadAllAsync(cancellationToken))
            {
                if (parsed.Error is { } error)
                {
                    connection.Enqueue(error);
                }
                else
                {
                    await HandleAsync(parsed.Frame!, cancellationToken);
                }
            }
        }
        catch
        {
            await reading.CancelAsync();
            throw;
        }
    }

    private async Task HandleAsync(ClientFrame frame, CancellationToken cancellationToken)
    {
        // Each message is a trace of its own, from here to every delivery and push (the connection's span is linked).
        using var span = frame is IStoredCommand ? MessengerTelemetry.StartRoot(MessengerTelemetry.SendSpan, ActivityKind.Server) : null;
        span?.SetTag(MessengerTelemetry.ConversationIdAttribute, ((IStoredCommand)frame).ConversationId);
        try
        {
            if (LimitOf(frame) is { } kind)
            {
                limits.Acquire(kind, connection.UserId);
            }

            switch (frame)
            {
                case IStoredCommand stored:
                    GatewayLog.Sending(logger, connection.Id, stored.ClientMessageId, stored.ConversationId);
                    connection.ExpectSent(stored.ConversationId, stored.ClientMessageId);
                    var outcome = await StoreAsync(stored, cancellationToken);
                    var m = outcome.Message;
                    connection.Enqueue(new SentFrame(m.ClientMessageId, m.ConversationId, m.Seq, m.MessageId, m.SentAt));
                    await FanOutAsync(outcome, cancellationToken);
                    break;
                case CursorCommand cursor:
                    await chat.MarkAsync(
                        connection.UserId, cursor.ConversationId, cursor.Seq, cursor.Read ? cursor.Seq : null, cancellationToken);
                    break;
                case TypingCommand typing:
                    await chat.TypingAsync(connection.UserId, typing.ConversationId, cancellationToken);
                    break;
                case SyncCommand sync:
                    MessengerTelemetry.SyncRequests.Add(1);
                    connection.EnqueueSync(sync);
                    break;
                case PingCommand:
                    connection.Enqueue(new PongFrame());
                    break;
            }
        }
        catch (ChatException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Code);
            Refuse(frame, e.Code, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error);
            GatewayLog.FrameFailed(logger, e, frame.GetType().Name, connection.Id);
            Refuse(frame, ErrorCodes.Internal, "The server could not do that; nothing was stored. Try again.");
        }
    }

    /// <summary>Stores what a send, react, edit or delete asks for; like a send, each is an event with a seq of its own.</summary>
    private Task<AppendOutcome> StoreAsync(IStoredCommand command, CancellationToken cancellationToken) => command switch
    {
        SendCommand send => chat.AppendAsync(connection.UserId, send.ConversationId, send.ClientMessageId, send.Text, send.MediaId, send.ReplyTo, cancellationToken),
        ReactCommand react => changes.ReactAsync(connection.UserId, react.ConversationId, react.ClientMessageId, react.TargetSeq, react.Emoji, cancellationToken),
        EditCommand edit => changes.EditAsync(connection.UserId, edit.ConversationId, edit.ClientMessageId, edit.TargetSeq, edit.Text, cancellationToken),
        DeleteCommand delete => changes.DeleteAsync(connection.UserId, delete.ConversationId, delete.ClientMessageId, delete.TargetSeq, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Not a frame that stores an event."),
    };

    /// <summary>
    /// Routes a message whose <c>sent</c> is already queued. A failure here is no failure of the send (it is stored):
    /// it is logged, and the members get the message from the gap fill before their next one or from sync.
    /// </summary>
    private async Task FanOutAsync(AppendOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await chat.FanOutAsync(outcome, connection.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            GatewayLog.FanOutFailed(logger, e, outcome.Message.ConversationId, outcome.Message.Seq);
        }
    }

    /// <summary>Answers a frame that failed with an error frame; a failed send's <c>sent</c> is no longer coming.</summary>
    private void Refuse(ClientFrame frame, string code, string message)
    {
        var stored = frame as IStoredCommand;
        if (stored is not null)
        {
            connection.ForgetSent(stored.ConversationId, stored.ClientMessageId);
        }

        connection.Enqueue(new ErrorFrame(code, message, stored?.ClientMessageId));
    }

    private static RateLimitKind? LimitOf(ClientFrame frame) => frame switch
    {
        IStoredCommand => RateLimitKind.Sends,
        CursorCommand => RateLimitKind.Receipts,
        TypingCommand => RateLimitKind.Typing,
        SyncCommand => RateLimitKind.Syncs,
        _ => null,
    };

    /// <summary>
    /// Reads one whole message; past the frame limit the rest is read and thrown away. The wait for it holds no buffer
    /// (a zero-byte receive, which also takes in the client's pongs and close): an idle connection holds none, and a
    /// pooled one is borrowed only once a frame has begun to arrive.
    /// </summary>
    private async Task<(ReadOnlyMemory<byte> Frame, WebSocketMessageType Kind, bool TooLarge)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var arrived = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (arrived.MessageType == WebSocketMessageType.Close || arrived.EndOfMessage)
        {
            return (ReadOnlyMemory<byte>.Empty, arrived.MessageType, false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(SmallBufferBytes, options.MaxFrameBytes));
        borrowed = buffer;
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            var limit = Math.Min(buffer.Length, options.MaxFrameBytes);
            if (!tooLarge && length == limit)
            {
                if (limit >= options.MaxFrameBytes)
                {
                    tooLarge = true;
                }
                else
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(options.MaxFrameBytes);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    GiveBackBorrowed();
                    buffer = borrowed = bigger;
                    limit = Math.Min(buffer.Length, options.MaxFrameBytes);
                }
            }

            var space = tooLarge ? buffer.AsMemory(0, limit) : buffer.AsMemory(length, limit - length);
            var result = await socket.ReceiveAsync(space, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (default, WebSocketMessageType.Close, false);
            }

            if (!tooLarge)
            {
                length += result.Count;
            }

            if (result.EndOfMessage)
            {
                return (buffer.AsMemory(0, length), result.MessageType, tooLarge);
            }
        }
    }

    private void GiveBackBorrowed()
    {
        if (borrowed is not null)
        {
            ArrayPool<byte>.Shared.Return(borrowed);
            borrowed = null;
        }
    }
}
