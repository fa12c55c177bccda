using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>
/// One simulated client of the crash test: it sends steadily with a few sends in flight, remembers what it holds per
/// conversation (its own acknowledged messages and the ones it received) and what is still unacknowledged, and
/// reconnects to each new host with a sync from its cursors. Everything arrives on the receive loop's callback.
/// </summary>
internal sealed class LoadDevice(TestUser user, IReadOnlyList<string> conversations, int window)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SortedSet<long>> held = conversations.ToDictionary(c => c, _ => new SortedSet<long>(), StringComparer.Ordinal);
    private readonly Dictionary<string, long> lastOnConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> inFlight = new(StringComparer.Ordinal);
    private readonly List<PendingSend> unacked = [];
    private readonly List<string> violations = [];
    private List<JsonObject>? syncing;
    private TaskCompletionSource? synced;
    private WsClient? socket;
    private int counter;

    public TestUser User { get; } = user;

    public IReadOnlyList<string> Conversations { get; } = conversations;

    /// <summary>The current connection, while connected.</summary>
    public WsClient? Socket => socket;

    /// <summary>Sends acknowledged over the whole test: (conversationId, clientMessageId) to seq.</summary>
    public ConcurrentDictionary<(string Conversation, string ClientId), long> Acked { get; } = new();

    /// <summary>Resent after a kill and found stored already: the seq the resend's <c>sent</c> must carry.</summary>
    public ConcurrentDictionary<(string Conversation, string ClientId), long> ExpectedOnResend { get; } = new();

    public int ResendsDeduplicated;

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (gate)
            {
                return violations.ToList();
            }
        }
    }

    public IReadOnlyList<PendingSend> Unacked
    {
        get
        {
            lock (gate)
            {
                return unacked.ToList();
            }
        }
    }

    /// <summary>The highest seq up to which this device holds every message, per conversation: its sync cursor.</summary>
    public Dictionary<string, long> Cursors()
    {
        lock (gate)
        {
            return held.ToDictionary(h => h.Key, h => Contiguous(h.Value), StringComparer.Ordinal);
        }
    }

    public async Task ConnectAsync(Uri baseAddress)
    {
        lock (gate)
        {
            lastOnConnection.Clear();
        }

        socket = await WsClient.ConnectAsync(baseAddress, User.Token, OnFrame);
    }

    /// <summary>Sends sync with the device's cursors; returns what came back, per conversation, without keeping it yet.</summary>
    public async Task<List<JsonObject>> SyncAsync(IReadOnlyDictionary<string, long> cursors)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            syncing = [];
            synced = done;
        }

        await socket!.SendAsync(new { type = "sync", cursors });
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (gate)
        {
            var messages = syncing!;
            syncing = null;
            foreach (var message in messages)
            {
                var conversation = (string)message["conversationId"]!;
                var seq = (long)message["seq"]!;
                held[conversation].Add(seq);
                lastOnConnection[conversation] = Math.Max(lastOnConnection.GetValueOrDefault(conversation), seq);
            }

            return messages;
        }
    }

    /// <summary>Sends until <paramref name="stop"/> or until the connection dies; unacknowledged sends are resent first.</summary>
    public async Task RunLoadAsync(CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(window, window);
        var sends = new List<Task>();
        var queue = new Queue<PendingSend>(Unacked);
        var closed = socket!.Closed;
        try
        {
            while (!stop.IsCancellationRequested && !closed.IsCompleted)
            {
                await slots.WaitAsync(stop);
                var send = queue.Count > 0 ? queue.Dequeue() : NextSend();
                sends.Add(SendOneAsync(send, slots, closed));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(sends);
    }

    /// <summary>Sends what is still unacknowledged and waits for every answer (the host is up and stays up).</summary>
    public async Task ResendUnackedAsync()
    {
        using var slots = new SemaphoreSlim(window, window);
        var sends = new List<Task>();
        foreach (var send in Unacked)
        {
            await slots.WaitAsync();
            sends.Add(SendOneAsync(send, slots, socket!.Closed));
        }

        await Task.WhenAll(sends);
    }

    public async Task DisconnectAsync()
    {
        if (socket is not null)
        {
            await socket.DisposeAsync();
            socket = null;
        }

        foreach (var pending in inFlight.Values)
        {
            pending.TrySetCanceled();
        }

        inFlight.Clear();
    }

    private static long Contiguous(SortedSet<long> seqs)
    {
        long next = 0;
        foreach (var seq in seqs)
        {
            if (seq != next + 1)
            {
                break;
            }

            next = seq;
        }

        return next;
    }

    private PendingSend NextSend()
    {
        var n = Interlocked.Increment(ref counter);
        var conversation = Conversations[n % Conversations.Count];
        var send = new PendingSend(conversation, $"{User.Username}-{n}", $"load {User.Username} #{n}");
        lock (gate)
        {
            unacked.Add(send);
        }

        return send;
    }

    private async Task SendOneAsync(PendingSend send, SemaphoreSlim slots, Task closed)
    {
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        inFlight[send.ClientId] = answer;
        try
        {
            await socket!.SendAsync(new { type = "send", conversationId = send.Conversation, clientMessageId = send.ClientId, text = send.Text });
            var first = await Task.WhenAny(answer.Task, closed, Task.Delay(TimeSpan.FromSeconds(30)));
            if (first != answer.Task)
            {
                if (!closed.IsCompleted)
                {
                    Violate($"no answer to send {send.ClientId} within 30 s on a live connection");
                }

                return;
            }

            var frame = await answer.Task;
            if (WsClient.Type(frame) != "sent")
            {
                Violate($"send {send.ClientId} got {frame.ToJsonString()}");
                return;
            }

            var seq = (long)frame["seq"]!;
            if ((string?)frame["conversationId"] != send.Conversation)
            {
                Violate($"sent for {send.ClientId} names {(string?)frame["conversationId"]}");
            }

            if (ExpectedOnResend.TryGetValue((send.Conversation, send.ClientId), out var stored))
            {
                Interlocked.Increment(ref ResendsDeduplicated);
                if (stored != seq)
                {
                    Violate($"resend of stored {send.ClientId} got seq {seq}, stored as {stored}");
                }
            }

            Acked[(send.Conversation, send.ClientId)] = seq;
            lock (gate)
            {
                unacked.Remove(send);
                held[send.Conversation].Add(seq);
            }
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The host died under the send: it stays unacknowledged and is resent after the restart.
        }
        finally
        {
            inFlight.TryRemove(send.ClientId, out _);
            slots.Release();
        }
    }

    private void OnFrame(JsonObject frame, long at)
    {
        switch (WsClient.Type(frame))
        {
            case "sent":
                if (inFlight.TryGetValue((string)frame["clientMessageId"]!, out var sent))
                {
                    sent.TrySetResult(frame);
                }

                break;
            case "error":
                if ((string?)frame["ref"] is { } reference && inFlight.TryGetValue(reference, out var failed))
                {
                    failed.TrySetResult(frame);
                }
                else
                {
                    Violate($"error frame {frame.ToJsonString()}");
                }

                break;
            case "synced":
                lock (gate)
                {
                    synced?.TrySetResult();
                    synced = null;
                }

                break;
            case "message":
                OnMessage(frame["message"]!.AsObject());
                break;
        }
    }

    private void OnMessage(JsonObject message)
    {
        var conversation = (string)message["conversationId"]!;
        var seq = (long)message["seq"]!;
        lock (gate)
        {
            if (syncing is not null)
            {
                syncing.Add(message);
                return;
            }

            if (!held.TryGetValue(conversation, out var seqs))
            {
                violations.Add($"message of conversation {conversation}, not one of {User.Username}'s");
                return;
            }

            if (lastOnConnection.TryGetValue(conversation, out var last) && seq <= last)
            {
                violations.Add($"{User.Username}: message seq {seq} after seq {last} on one connection in {conversation}");
            }

            lastOnConnection[conversation] = Math.Max(last, seq);
            seqs.Add(seq);
        }
    }

    private void Violate(string what)
    {
        lock (gate)
        {
            violations.Add($"{User.Username}: {what}");
        }
    }
}
