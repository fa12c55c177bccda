using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Messenger.Core.Telemetry;

/// <summary>
/// The activity source and meter every part of Messenger reports to, and the instruments on them. Both are static, so
/// that the code on the per-message path needs no constructor change and pays nothing when nobody listens:
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null without a listener, and an instrument
/// with no enabled listener returns at once from <c>Add</c> / <c>Record</c>. Tags are built once (static fields), so a
/// measurement allocates nothing beyond what the SDK does. Names follow OpenTelemetry's semantic conventions
/// (<c>messenger.*</c> for ours, <c>messaging.*</c> attributes for pub/sub spans).
/// </summary>
public static class MessengerTelemetry
{
    /// <summary>Name of the activity source and of the meter (a host subscribes to <c>Messenger*</c>).</summary>
    public const string Name = "Messenger";

    /// <summary>The health check tag of what readiness depends on (the database, or the Dapr sidecar).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Span names of the per-message path (one trace from the WebSocket <c>send</c> to the push request).</summary>
    public const string SendSpan = "messenger.send";
    public const string AppendSpan = "messenger.append";
    public const string CommitSpan = "messenger.store.commit";

    /// <summary>Attribute names.</summary>
    public const string ConversationIdAttribute = "messenger.conversation.id";
    public const string MessageSeqAttribute = "messenger.message.seq";
    public const string GatewayIdAttribute = "messenger.gateway.id";
    public const string KindAttribute = "messenger.kind";
    public const string ResultAttribute = "messenger.result";
    public const string StoreFileAttribute = "messenger.store.file";
    public const string MessagingSystemAttribute = "messaging.system";
    public const string MessagingDestinationAttribute = "messaging.destination.name";
    public const string MessagingOperationAttribute = "messaging.operation.type";

    /// <summary>Instrument names.</summary>
    public const string MessagesAppendedName = "messenger.messages.appended";
    public const string DeliveriesName = "messenger.deliveries";
    public const string DeliveryDurationName = "messenger.delivery.duration";
    public const string ConnectionsName = "messenger.connections";
    public const string OutboundQueueDepthName = "messenger.outbound.queue.depth";
    public const string OutboundOverflowsName = "messenger.outbound.overflows";
    public const string SyncRequestsName = "messenger.sync.requests";
    public const string PushName = "messenger.push.notifications";
    public const string RateLimitRejectionsName = "messenger.rate_limit.rejections";
    public const string CommitSizeName = "messenger.sqlite.commit.size";
    public const string CommitDurationName = "messenger.sqlite.commit.duration";
    public const string MergeSizeName = "messenger.sqlite.merge.size";
    public const string MergeDurationName = "messenger.sqlite.merge.duration";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Messages stored (duplicates excluded), by <c>messenger.kind</c> (text or media).</summary>
    public static readonly Counter<long> MessagesAppended =
        Meter.CreateCounter<long>(MessagesAppendedName, "{message}", "Messages stored, by kind (text or media); a resent duplicate is not counted.");

    /// <summary>Message frames written to a client's socket (live, gap fill and sync alike).</summary>
    public static readonly Counter<long> Deliveries =
        Meter.CreateCounter<long>(DeliveriesName, "{message}", "Message frames written to client WebSockets.");

    /// <summary>From the message's commit time (its sentAt) to the write of its frame to a recipient's socket.</summary>
    public static readonly Histogram<double> DeliveryDuration = Meter.CreateHistogram<double>(
        DeliveryDurationName, "s", "From a message's commit (its sentAt) to the write of its frame to a recipient's WebSocket (live deliveries).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Connections closed because their outbound queue was full (the client fell a whole queue behind).</summary>
    public static readonly Counter<long> OutboundOverflows =
        Meter.CreateCounter<long>(OutboundOverflowsName, "{connection}", "Connections closed (1013) because their outbound queue was full.");

    /// <summary>WebSocket <c>sync</c> frames taken (after the rate limit).</summary>
    public static readonly Counter<long> SyncRequests =
        Meter.CreateCounter<long>(SyncRequestsName, "{request}", "WebSocket sync requests (a reconnecting client catching up).");

    /// <summary>Pushes by <c>messenger.result</c>: sent, failed, pruned (the device token was invalid and removed).</summary>
    public static readonly Counter<long> Pushes =
        Meter.CreateCounter<long>(PushName, "{notification}", "Push notifications by result: sent, failed, pruned (token invalid, device removed).");

    /// <summary>Requests and frames refused by a rate limit, by <c>messenger.kind</c>.</summary>
    public static readonly Counter<long> RateLimitRejections =
        Meter.CreateCounter<long>(RateLimitRejectionsName, "{request}", "Requests and WebSocket frames refused by a rate limit, by kind.");

    /// <summary>Writes per group commit of the one-process store, by <c>messenger.store.file</c> (<see cref="DatabaseFile"/> or <see cref="LogFile"/>).</summary>
    public static readonly Histogram<int> CommitSize = Meter.CreateHistogram<int>(
        CommitSizeName, "{write}", "Writes made durable together in one group commit of the SQLite database or its message log, by file.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    /// <summary>Time of a group commit's durable write (the database's COMMIT, or the message log's write and fsync).</summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        CommitDurationName, "s", "Time of one group commit of the SQLite database (its COMMIT: WAL write and fsync) or of its message log (write and fsync), by file.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

    /// <summary>Messages moved from the message log into the SQLite messages table by one merge.</summary>
    public static readonly Histogram<int> MergeSize = Meter.CreateHistogram<int>(
        MergeSizeName, "{message}", "Messages moved from the message log into the SQLite messages table by one merge.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 16, 64, 256, 1024, 4096, 8192, 16384, 32768] });

    /// <summary>Time of one merge of the message log, from queueing it on the writer to its commit.</summary>
    public static readonly Histogram<double> MergeDuration = Meter.CreateHistogram<double>(
        MergeDurationName, "s", "Time of one merge of the message log into the SQLite messages table, queueing and commit included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    public static readonly KeyValuePair<string, object?> DatabaseFile = new(StoreFileAttribute, "database");
    public static readonly KeyValuePair<string, object?> LogFile = new(StoreFileAttribute, "log");

    public static readonly KeyValuePair<string, object?> TextKind = new(KindAttribute, "text");
    public static readonly KeyValuePair<string, object?> MediaKind = new(KindAttribute, "media");
    public static readonly KeyValuePair<string, object?> PushSent = new(ResultAttribute, "sent");
    public static readonly KeyValuePair<string, object?> PushFailed = new(ResultAttribute, "failed");
    public static readonly KeyValuePair<string, object?> PushPruned = new(ResultAttribute, "pruned");

    /// <summary>
    /// Starts a span that begins a trace of its own, whatever is current (a WebSocket's request span lasts as long as
    /// the connection; each message gets a trace of its own), linked to the span that was current. Null when nobody
    /// listens. Call it inside an async method: the caller's <see cref="Activity.Current"/> is as it was once that
    /// method returns.
    /// </summary>
    public static Activity? StartRoot(string name, ActivityKind kind)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var current = Activity.Current;
        Activity.Current = null;
        var activity = current is null
            ? Source.StartActivity(name, kind)
            : Source.StartActivity(name, kind, parentContext: default, links: [new ActivityLink(current.Context)]);
        if (activity is null)
        {
            Activity.Current = current;
        }

        return activity;
    }

    /// <summary>A producer span for a publish to <paramref name="topic"/> on <paramref name="system"/> (null when nobody listens).</summary>
    public static Activity? StartPublish(string system, string topic)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("publish " + topic, ActivityKind.Producer);
        activity?.SetTag(MessagingSystemAttribute, system);
        activity?.SetTag(MessagingDestinationAttribute, topic);
        activity?.SetTag(MessagingOperationAttribute, "send");
        return activity;
    }

    /// <summary>A consumer span for the handling of an event of <paramref name="topic"/>, child of <paramref name="parent"/> (the publisher's).</summary>
    public static Activity? StartProcess(string system, string topic, ActivityContext parent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("process " + topic, ActivityKind.Consumer, parent);
        activity?.SetTag(MessagingSystemAttribute, system);
        activity?.SetTag(MessagingDestinationAttribute, topic);
        activity?.SetTag(MessagingOperationAttribute, "process");
        return activity;
    }
}
