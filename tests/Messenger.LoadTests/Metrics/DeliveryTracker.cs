using System.Collections.Concurrent;
using HdrHistogram;
using Messenger.LoadTests.Client;
using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Metrics;

/// <summary>
/// Counts what the connections of one phase receive: acks, deliveries, duplicates, out-of-order frames and errors,
/// with receiver-side latency from the send timestamp carried in the text. Lost deliveries are found at the end by
/// checking, for every acked message, that every other member of its conversation has its seq.
/// </summary>
public sealed class DeliveryTracker(IReadOnlyDictionary<string, LoadUser[]> members, bool recordLatency = true) : IFrameSink
{
    private const long HighestMicroseconds = 3_600_000_000;

    private readonly ConcurrentQueue<AckRecord> acks = new();
    private readonly ConcurrentDictionary<string, int> errorSamples = new(StringComparer.Ordinal);
    private long sent;
    private long acked;
    private long expected;
    private long delivered;
    private long duplicates;
    private long outOfOrder;
    private long errors;
    private long badFrames;
    private long unexpectedCloses;
    private long lastDeliveryAt;
    private long pongs;
    private long late;
    private int frozen;

    public LongConcurrentHistogram Latency { get; } = new(1, HighestMicroseconds, 3);

    public LongConcurrentHistogram AckLatency { get; } = new(1, HighestMicroseconds, 3);

    public long Sent => Interlocked.Read(ref sent);

    public long Acked => Interlocked.Read(ref acked);

    /// <summary>Deliveries owed so far: for each ack, the members of the conversation other than the sender.</summary>
    public long Expected => Interlocked.Read(ref expected);

    public long Delivered => Interlocked.Read(ref delivered);

    public long Duplicates => Interlocked.Read(ref duplicates);

    public long OutOfOrder => Interlocked.Read(ref outOfOrder);

    public long Errors => Interlocked.Read(ref errors);

    public long BadFrames => Interlocked.Read(ref badFrames);

    public long UnexpectedCloses => Interlocked.Read(ref unexpectedCloses);

    public long LastDeliveryAt => Interlocked.Read(ref lastDeliveryAt);

    public long Pongs => Interlocked.Read(ref pongs);

    /// <summary>Frames that came in after <see cref="Freeze"/>, from a server still working through a backlog.</summary>
    public long Late => Interlocked.Read(ref late);

    /// <summary>Stops counting, so the figures and the end-of-phase check see one consistent moment.</summary>
    public void Freeze() => Interlocked.Exchange(ref frozen, 1);

    public IReadOnlyDictionary<string, int> ErrorSamples => errorSamples;

    public void CountSent() => Interlocked.Increment(ref sent);

    public void OnFrame(UserConnection connection, ServerFrame frame, long receivedAt)
    {
        if (Volatile.Read(ref frozen) != 0)
        {
            Interlocked.Increment(ref late);
            return;
        }

        switch (frame.Type)
        {
            case FrameTypes.Sent:
                OnSent(connection, frame, receivedAt);
                break;
            case FrameTypes.Message when frame.Message is { } message:
                OnMessage(connection, message, receivedAt);
                break;
            case FrameTypes.Pong:
                Interlocked.Increment(ref pongs);
                break;
            case FrameTypes.Error:
                Interlocked.Increment(ref errors);
                Sample($"error {frame.Code}: {frame.ErrorText}");
                break;
        }
    }

    public void OnBadFrame(UserConnection connection, string reason)
    {
        Interlocked.Increment(ref badFrames);
        Sample($"bad frame: {reason}");
    }

    public void OnClosed(UserConnection connection, string reason)
    {
        if (!connection.ClosedByTool)
        {
            Interlocked.Increment(ref unexpectedCloses);
            Sample($"connection closed: {reason}");
        }
    }

    /// <summary>Checks every acked message against every recipient's received seqs.</summary>
    public DeliveryCheck Check()
    {
        long lost = 0;
        long expected = 0;
        var seqsByConversation = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var ack in acks)
        {
            if (!seqsByConversation.TryGetValue(ack.ConversationId, out var seqs))
            {
                seqsByConversation[ack.ConversationId] = seqs = [];
            }

            seqs.Add(ack.Seq);
            if (!members.TryGetValue(ack.ConversationId, out var conversationMembers))
            {
                continue;
            }

            foreach (var member in conversationMembers)
            {
                if (member.Index == ack.SenderIndex)
                {
                    continue;
                }

                expected++;
                if (!member.Received.Has(ack.ConversationId, ack.Seq))
                {
                    lost++;
                }
            }
        }

        long seqErrors = 0;
        foreach (var seqs in seqsByConversation.Values)
        {
            seqs.Sort();
            for (var i = 1; i < seqs.Count; i++)
            {
                if (seqs[i] != seqs[i - 1] + 1)
                {
                    seqErrors++;
                    break;
                }
            }
        }

        return new DeliveryCheck(expected, lost, seqErrors);
    }

    private void OnSent(UserConnection connection, ServerFrame frame, long receivedAt)
    {
        Interlocked.Increment(ref acked);
        if (frame.SendStamp > 0)
        {
            AckLatency.RecordValue(Math.Max(1, LatencyStamp.MicrosecondsSince(frame.SendStamp, receivedAt)));
        }

        if (frame.ConversationId is null)
        {
            Sample("sent frame without conversationId");
            return;
        }

        acks.Enqueue(new AckRecord(frame.ConversationId, frame.Seq, connection.User.Index));
        if (members.TryGetValue(frame.ConversationId, out var conversationMembers))
        {
            Interlocked.Add(ref expected, conversationMembers.Length - 1);
        }
    }

    private void OnMessage(UserConnection connection, MessagePayload message, long receivedAt)
    {
        switch (connection.User.Received.Record(message.ConversationId, message.Seq))
        {
            case ReceiveOutcome.Duplicate:
                Interlocked.Increment(ref duplicates);
                return;
            case ReceiveOutcome.OutOfOrder:
                Interlocked.Increment(ref outOfOrder);
                break;
        }

        Interlocked.Increment(ref delivered);
        Interlocked.Exchange(ref lastDeliveryAt, receivedAt);
        if (recordLatency && message.SendStamp > 0)
        {
            Latency.RecordValue(Math.Max(1, LatencyStamp.MicrosecondsSince(message.SendStamp, receivedAt)));
        }
    }

    private void Sample(string text)
    {
        if (errorSamples.Count < 20 || errorSamples.ContainsKey(text))
        {
            errorSamples.AddOrUpdate(text, 1, (_, n) => n + 1);
        }
    }
}
