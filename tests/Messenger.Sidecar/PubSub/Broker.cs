using System.Diagnostics;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.PubSub;

/// <summary>
/// The in-memory broker all sidecar doubles share (the stand-in for Redis streams): every topic keeps its events;
/// every app id that subscribes is a consumer group that reads the topic from its first event on, each event going
/// to one instance of the group (round robin). Each instance takes a component's events through one window of
/// <see cref="Subscriber.Workers"/> deliveries in flight (or <see cref="BrokerBehavior.Concurrency"/> when set), as
/// daprd's worker pool does: events start in publish order and may finish in another. Delivery follows
/// <see cref="Behavior"/>.
/// </summary>
public sealed partial class Broker(ILogger<Broker> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string PubSub, string Topic), TopicLog> topics = new();
    private readonly ConcurrentDictionary<(string Instance, string PubSub), DeliveryWindow> windows = new();
    private readonly ConcurrentDictionary<Task, bool> inFlight = new();
    private readonly CancellationTokenSource stopping = new();
    private BrokerBehavior behavior = new();

    public BrokerBehavior Behavior
    {
        get => Volatile.Read(ref behavior);
        set => Volatile.Write(ref behavior, value.Validate());
    }

    public long Publish(string pubSub, string topic, byte[] data, string contentType)
    {
        var log = topics.GetOrAdd((pubSub, topic), key => new TopicLog(key.PubSub, key.Topic, this));
        return log.Append(data, contentType);
    }

    public void Subscribe(Subscriber subscriber)
    {
        var log = topics.GetOrAdd((subscriber.PubSub, subscriber.Topic), key => new TopicLog(key.PubSub, key.Topic, this));
        log.Join(subscriber);
    }

    /// <summary>Events published to a topic so far (for tests and the admin API).</summary>
    public int Published(string pubSub, string topic) => topics.TryGetValue((pubSub, topic), out var log) ? log.Count : 0;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(topics.Values.SelectMany(t => t.Workers));
        await Task.WhenAll(inFlight.Keys);
        foreach (var window in windows.Values)
        {
            window.Dispose();
        }
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Sequence} of topic {Topic} failed in the handler of {App}; it is acknowledged anyway")]
    private partial void HandlerFailed(Exception exception, long sequence, string topic, string app);

    private sealed class TopicLog(string pubSub, string topic, Broker broker)
    {
        private readonly Lock gate = new();
        private readonly List<BrokerMessage> messages = [];
        private readonly Dictionary<string, ConsumerGroup> groups = new(StringComparer.Ordinal);

        public int Count
        {
            get
            {
                lock (gate)
                {
                    return messages.Count;
                }
            }
        }

        public IEnumerable<Task> Workers
        {
            get
            {
                lock (gate)
                {
                    return groups.Values.Select(g => g.Worker).ToList();
                }
            }
        }

        public long Append(byte[] data, string contentType)
        {
            lock (gate)
            {
                var message = new BrokerMessage(messages.Count + 1, pubSub, topic, data, contentType, PublishedAt: Stopwatch.GetTimestamp());
                messages.Add(message);
                foreach (var group in groups.Values)
                {
                    group.Signal.Release();
                }

                return message.Sequence;
            }
        }

        public void Join(Subscriber subscriber)
        {
            lock (gate)
            {
                if (!groups.TryGetValue(subscriber.AppId, out var group))
                {
                    group = new ConsumerGroup(subscriber.AppId);
                    groups[subscriber.AppId] = group;
                    group.Worker = Task.Run(() => RunAsync(group, broker.stopping.Token));
                }

                group.Members.RemoveAll(m => m.InstanceName == subscriber.InstanceName);
                group.Members.Add(subscriber);
                group.Signal.Release();
            }
        }

        private async Task RunAsync(ConsumerGroup group, CancellationToken cancellationToken)
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (Take(group) is not var (member, message))
                    {
                        await group.Signal.WaitAsync(cancellationToken);
                        continue;
                    }

                    var window = broker.windows.GetOrAdd((member.InstanceName, member.PubSub), _ => new DeliveryWindow());
                    await window.EnterAsync(broker.Behavior.Concurrency ?? member.Workers, cancellationToken);
                    var delivery = DeliverAndLeaveAsync(window, member, message, cancellationToken);
                    broker.inFlight.TryAdd(delivery, true);
                    _ = delivery.ContinueWith(done => broker.inFlight.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        private (Subscriber Member, BrokerMessage Message)? Take(ConsumerGroup group)
        {
            lock (gate)
            {
                return group.Cursor < messages.Count && group.Members.Count > 0
                    ? (group.Members[group.NextMember++ % group.Members.Count], messages[group.Cursor++])
                    : null;
            }
        }

        private async Task DeliverAndLeaveAsync(DeliveryWindow window, Subscriber member, BrokerMessage message, CancellationToken cancellationToken)
        {
            await Task.Yield();
            try
            {
                await DeliverAsync(member, message, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                window.Leave();
            }
        }

        private async Task DeliverAsync(Subscriber member, BrokerMessage message, CancellationToken cancellationToken)
        {
            var behavior = broker.Behavior;
            await DelayAsync(behavior, cancellationToken);
            await HandleAsync(member, message, cancellationToken);
            if (behavior.RedeliveryRate > 0 && Random.Shared.NextDouble() < behavior.RedeliveryRate)
            {
                await DelayAsync(behavior, cancellationToken);
                await HandleAsync(member, message with { Redelivered = true }, cancellationToken);
            }
        }

        private async Task HandleAsync(Subscriber member, BrokerMessage message, CancellationToken cancellationToken)
        {
            try
            {
                await member.Handler.HandleAsync(message, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                broker.HandlerFailed(exception, message.Sequence, message.Topic, member.InstanceName);
            }
        }

        private static Task DelayAsync(BrokerBehavior behavior, CancellationToken cancellationToken) =>
            behavior.MaxDelayMilliseconds > 0
                ? Task.Delay(Random.Shared.Next(behavior.MaxDelayMilliseconds + 1), cancellationToken)
                : Task.CompletedTask;
    }

    private sealed class ConsumerGroup(string appId)
    {
        public string AppId { get; } = appId;

        public List<Subscriber> Members { get; } = [];

        public SemaphoreSlim Signal { get; } = new(0);

        public int Cursor { get; set; }

        public int NextMember { get; set; }

        public Task Worker { get; set; } = Task.CompletedTask;
    }
}
