using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Messenger.Core.Telemetry;

namespace Messenger.Gateway.Connections;

/// <summary>
/// One client's WebSocket on this gateway. Everything for the client goes through one bounded queue and one writer
/// loop, which keeps each conversation's messages in ascending seq on this connection: duplicates are dropped and a
/// gap is filled from the store before the message after it. A client that falls behind by a whole queue is closed
/// (1013) and resyncs when it comes back; one whose socket stalls is dropped.
/// </summary>
public sealed class ClientConnection : IAsyncDisposable
{
    /// <summary>Close code 1013, "try again later".</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>Close code 4001: the session ended (logout); sign in again.</summary>
    public const WebSocketCloseStatus SessionEnded = (WebSocketCloseStatus)4001;

    /// <summary>Close code 4002: the session expired (its token was not refreshed in time, or it reached its absolute age).</summary>
    public const WebSocketCloseStatus SessionExpired = (WebSocketCloseStatus)4002;

    private const int HistoryPage = HistoryQuery.MaxLimit;
    private static readonly TimeSpan CloseHandshakeWait = TimeSpan.FromSeconds(2);
    private readonly WebSocket socket;
    private readonly ChatService chat;
    private readonly GatewayOptions options;
    private readonly ILogger logger;
    private readonly Channel<Outbound> queue;
    private readonly MessageSequencer sequencer = new();
    private readonly ArrayBufferWriter<byte> buffer = new(256);
    private readonly CancellationTokenSource aborted = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly HashSet<(string ConversationId, string ClientMessageId)> ownPending = [];
    private readonly CancellationTokenSource sendTimeout;
    private Utf8JsonWriter? json;
    private Task? closingNow;
    private int closing;
    private long liveUntilTicks;

    internal ClientConnection(string userId, string sessionId, DateTimeOffset liveUntil, WebSocket socket, ChatService chat, GatewayOptions options, ILogger logger)
    {
        UserId = userId;
        SessionId = sessionId;
        liveUntilTicks = liveUntil.UtcTicks;
        this.socket = socket;
        this.chat = chat;
        this.options = options;
        this.logger = logger;
        sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(aborted.Token);
        queue = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(options.OutboundQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Id { get; } = Ids.New("k_");

    public string UserId { get; }

    /// <summary>The session of the token the connection was opened with; the connection lives no longer than it.</summary>
    public string SessionId { get; }

    /// <summary>
    /// Until when the session is known to live (its token's expiry); past it the gateway looks at the session again
    /// and either moves this on (the session was refreshed) or closes the connection (<see cref="SessionExpired"/>).
    /// </summary>
    public DateTimeOffset LiveUntil
    {
        get => new(Interlocked.Read(ref liveUntilTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref liveUntilTicks, value.UtcTicks);
    }

    /// <summary>Items waiting in the outbound queue (frames, syncs, a close).</summary>
    public int QueueDepth => queue.Reader.Count;

    /// <summary>Cancelled when the connection is dropped without a close handshake.</summary>
    public CancellationToken Aborted => aborted.Token;

    /// <summary>Queues a frame; <paramref name="bytes"/> are its serialised form when the caller has them.</summary>
    public void Enqueue(ServerFrame frame, ReadOnlyMemory<byte> bytes = default) => Offer(new Outbound(frame, bytes, null, null));

    /// <summary>This connection is sending that message: its <c>sent</c> is coming, so a gap fill must not replay it.</summary>
    internal void ExpectSent(string conversationId, string clientMessageId)
    {
        lock (ownPending)
        {
            ownPending.Add((conversationId, clientMessageId));
        }
    }

    /// <summary>The send failed; nothing of it is coming.</summary>
    internal void ForgetSent(string conversationId, string clientMessageId)
    {
        lock (ownPending)
        {
            ownPending.Remove((conversationId, clientMessageId));
        }
    }

    internal void EnqueueSync(SyncCommand sync) => Offer(new Outbound(null, default, sync, null));

    /// <summary>Sends a close frame after what is queued so far; drops the connection if that cannot happen soon.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (!queue.Writer.TryWrite(new Outbound(null, default, null, new CloseRequest(status, reason))))
        {
            CloseNow(status, reason);
        }
    }

    /// <summary>
    /// The connection's session is over: a close frame goes out now, ahead of whatever is still queued (nothing more
    /// is sent on behalf of a session that ended), or the connection is dropped if that cannot happen soon.
    /// </summary>
    public void EndSession(WebSocketCloseStatus status, string reason) => CloseNow(status, reason, awaitAnswer: true);

    internal async Task RunWriterAsync()
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(aborted.Token))
            {
                if (item.Close is { } close)
                {
                    await SendCloseAsync(close);
                    return;
                }

                if (item.Sync is { } sync)
                {
                    await SyncAsync(sync);
                }
                else if (item.Frame is MessageFrame message)
                {
                    await DeliverInOrderAsync(message.Message, item.Bytes);
                }
                else if (item.Frame is SentFrame sent)
                {
                    // The sender's own message counts as given to this connection; what came before it must go first.
                    await FillGapAsync(sent.ConversationId, sent.Seq);
                    sequencer.GiveOwn(sent.ConversationId, sent.Seq);
                    ForgetSent(sent.ConversationId, sent.ClientMessageId);
                    await SendAsync(sent, item.Bytes);
                }
                else if (item.Frame is { } frame)
                {
                    await SendAsync(frame, item.Bytes);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Dropped.
        }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
            // The client went away mid-send, or the socket was closed under the writer.
        }
        catch (Exception e)
        {
            // The store out of reach in the middle of a gap fill or a sync (the messages app restarting): this
            // connection can no longer keep its order, so it is closed properly and the client reconnects and syncs.
            GatewayLog.WriterFailed(logger, e, Id);
            await SendCloseAsync(new CloseRequest(TryAgainLater, "Delivery failed; reconnect and sync."));
        }
        finally
        {
            queue.Writer.TryComplete();
        }
    }

    private void Offer(Outbound item)
    {
        if (queue.Writer.TryWrite(item) || Volatile.Read(ref closing) != 0)
        {
            return;
        }

        MessengerTelemetry.OutboundOverflows.Add(1);
        GatewayLog.Overflowed(logger, Id, options.OutboundQueueCapacity);
        CloseNow(TryAgainLater, "Too far behind; reconnect and sync.");
    }

    /// <summary>
    /// Skips the queue: the writer stops at its next item and the close goes out, or the connection is dropped if
    /// stalled. With <paramref name="awaitAnswer"/> the client then has the close handshake's wait to answer, as
    /// after an ordinary close, so that the close frame and its code surely reach it.
    /// </summary>
    private void CloseNow(WebSocketCloseStatus status, string reason, bool awaitAnswer = false)
    {
        if (Interlocked.Exchange(ref closing, 1) != 0)
        {
            return;
        }

        queue.Writer.TryComplete();
        closingNow = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(options.SendTimeout);
            try
            {
                await sendLock.WaitAsync(timeout.Token);
                try
                {
                    await socket.CloseOutputAsync(status, reason, timeout.Token);
                }
                finally
                {
                    sendLock.Release();
                }

                if (awaitAnswer)
                {
                    // The writer stops by itself (its queue is complete); the reader waits for the client's close.
                    aborted.CancelAfter(CloseHandshakeWait);
                    return;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                Abort();
            }

            // Nothing more goes out; stop the writer.
            await aborted.CancelAsync();
        });
    }

    /// <summary>Once the connection is served: nothing more is queued, a close in flight ends, then the timers and the
    /// send lock are freed.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref closing, 1);
        queue.Writer.TryComplete();
        if (Volatile.Read(ref closingNow) is { } close)
        {
            // Its failures were never observed before either: the connection is gone either way.
            await close.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        sendTimeout.Dispose();
        aborted.Dispose();
        sendLock.Dispose();
        json?.Dispose();
    }

    private async Task DeliverInOrderAsync(Message message, ReadOnlyMemory<byte> bytes)
    {
        var last = sequencer.LastOf(message.ConversationId);
        if (last is { } seen && message.Seq <= seen)
        {
            return;
        }

        await FillGapAsync(message.ConversationId, message.Seq);
        sequencer.MoveTo(message.ConversationId, message.Seq);
        await SendAsync(new MessageFrame(message), bytes);
        MessengerTelemetry.DeliveryDuration.Record((DateTimeOffset.UtcNow - message.SentAt).TotalSeconds);
    }

    /// <summary>Sends from the store every message between what this connection has and <paramref name="seq"/>.</summary>
    private async Task FillGapAsync(string conversationId, long seq)
    {
        if (sequencer.FillFrom(conversationId) is not { } last || seq <= last + 1)
        {
            return;
        }

        GatewayLog.FillingGap(logger, Id, last + 1, seq - 1, conversationId, seq);

        try
        {
            await foreach (var missing in chat.ReadGapAsync(conversationId, last, seq, HistoryPage, aborted.Token))
            {
                // Given already (an own message the position has just moved past), or the connection's own message
                // whose sent is queued or kept aside: the sent stands for it.
                var given = sequencer.LastOf(conversationId) >= missing.Seq;
                var own = missing.SenderId == UserId
                    && (IsSentPending(conversationId, missing.ClientMessageId) || sequencer.IsOwnGiven(conversationId, missing.Seq));
                if (!given && !own)
                {
                    await SendAsync(new MessageFrame(missing), default);
                }

                sequencer.MoveTo(conversationId, missing.Seq);
            }
        }
        catch (ChatException e)
        {
            GatewayLog.GapFillFailed(logger, e, seq, conversationId);
        }
    }

    private bool IsSentPending(string conversationId, string clientMessageId)
    {
        lock (ownPending)
        {
            return ownPending.Contains((conversationId, clientMessageId));
        }
    }

    private async Task SyncAsync(SyncCommand sync)
    {
        try
        {
            foreach (var conversationId in await chat.GetConversationIdsAsync(UserId, aborted.Token))
            {
                var after = sync.Cursors.GetValueOrDefault(conversationId, 0);
                sequencer.Reset(conversationId, after);
                while (true)
                {
                    var page = await chat.GetHistoryAsync(UserId, conversationId, HistoryQuery.Create(after, null, HistoryPage), aborted.Token);
                    foreach (var message in page)
                    {
                        await SendAsync(new MessageFrame(message), default);
                        after = message.Seq;
                    }

                    sequencer.Reset(conversationId, after);
                    if (page.Count < HistoryPage)
                    {
                        break;
                    }
                }
            }

            await SendAsync(new SyncedFrame(), default);
        }
        catch (ChatException e)
        {
            await SendAsync(new ErrorFrame(e.Code, e.Message, null), default);
        }
    }

    private async Task SendAsync(ServerFrame frame, ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            buffer.ResetWrittenCount();
            json ??= new Utf8JsonWriter(buffer);
            json.Reset(buffer);
            JsonSerializer.Serialize(json, frame, ProtocolJson.Default.ServerFrame);
            json.Flush();
            bytes = buffer.WrittenMemory;
        }

        // Most sends complete at once (the frame fits in the connection's output): they take no timer, and the
        // WebSocket sends without a token, its fast path. A send that has to wait arms the connection's one timer.
        var armed = false;
        if (!sendLock.Wait(0))
        {
            sendTimeout.CancelAfter(options.SendTimeout);
            armed = true;
            await sendLock.WaitAsync(sendTimeout.Token);
        }

        try
        {
            var sending = socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            if (sending.IsCompleted)
            {
                await sending;
            }
            else
            {
                if (!armed)
                {
                    sendTimeout.CancelAfter(options.SendTimeout);
                    armed = true;
                }

                // A socket that takes nothing before the timer fires is aborted, which ends the send.
                using var stall = sendTimeout.Token.UnsafeRegister(static s => ((WebSocket)s!).Abort(), socket);
                await sending;
            }

            if (frame is MessageFrame)
            {
                MessengerTelemetry.Deliveries.Add(1);
            }
        }
        catch (Exception e) when (sendTimeout.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            GatewayLog.Stalled(logger, Id);
            Abort();
            throw new OperationCanceledException("The client stopped taking frames.", e, sendTimeout.Token);
        }
        finally
        {
            sendLock.Release();
            if (armed)
            {
                sendTimeout.TryReset();
            }
        }
    }

    private async Task SendCloseAsync(CloseRequest close)
    {
        Interlocked.Exchange(ref closing, 1);
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            // A close frame went out already (the WebSocket itself sends 1007 for invalid UTF-8): aborting now would
            // reset the TCP connection and could destroy that frame before the client reads it.
            return;
        }

        using var timeout = new CancellationTokenSource(options.SendTimeout);
        try
        {
            await socket.CloseOutputAsync(close.Status, close.Reason, timeout.Token);

            // The reader now waits for the client's close; a client that never answers must not hold the connection (or a shutdown).
            aborted.CancelAfter(CloseHandshakeWait);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            Abort();
        }
    }

    private void Abort()
    {
        socket.Abort();
        aborted.Cancel();
    }
}
