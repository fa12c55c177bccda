using System.Collections.Concurrent;
using System.Collections.Immutable;
using Messenger.Core.Ports;
using Messenger.Core.Subscriptions;
using Messenger.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messenger.Embedded.Bus;

/// <summary>
/// Topics in memory. Each subscription has a bounded queue of its own and a single reader, so a topic's events reach
/// a subscriber in the order they were published, and a slow subscriber slows its publishers instead of losing events.
/// </summary>
public sealed partial class InProcessEventBus(ILogger<InProcessEventBus> logger) : IEventBus, IAsyncDisposable
{
    /// <summary>The <c>messaging.system</c> of this bus's spans.</summary>
    internal const string MessagingSystem = "in-process";

    private readonly ConcurrentDictionary<string, ImmutableArray<InProcessSubscription>> topics = new(StringComparer.Ordinal);

    public async Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken)
        where TEvent : class
    {
        if (!topics.TryGetValue(topic, out var subscriptions))
        {
            return;
        }

        // The span is what each subscriber's handling is a child of: the trace context travels with the event.
        using var span = MessengerTelemetry.StartPublish(MessagingSystem, topic);
        foreach (var subscription in subscriptions)
        {
            await subscription.EnqueueAsync(@event, cancellationToken);
        }
    }

    /// <summary>
    /// Binds every <see cref="Subscription"/> declared in <paramref name="services"/> to this bus until the result is
    /// disposed. A handler is resolved when its first event comes, so handlers may themselves publish.
    /// </summary>
    public IAsyncDisposable Bind(IServiceProvider services)
    {
        var bound = services.GetServices<Subscription>()
            .Select(declared =>
            {
                var topic = declared.TopicOf(services);
                return Subscribe<object>(topic, (e, token) => declared.Deliver(services, e, token), e => HandlerFailed(logger, e, topic), declared.HandsOff);
            })
            .ToList();
        return new Binding(bound);
    }

    /// <summary>
    /// Delivers every event published to <paramref name="topic"/> to <paramref name="handler"/> until disposed. An
    /// <paramref name="inline"/> handler runs inside the publisher's call — for handlers that only hand the event on
    /// without waiting (a gateway's delivery) — and saves a queue and a thread hop per event.
    /// </summary>
    public IAsyncDisposable Subscribe<TEvent>(string topic, Func<TEvent, CancellationToken, Task> handler, Action<Exception> onError, bool inline = false)
        where TEvent : class
    {
        InProcessSubscription? subscription = null;
        subscription = new InProcessSubscription(topic, e => handler((TEvent)e, CancellationToken.None), onError, () => Remove(topic, subscription!), inline);
        topics.AddOrUpdate(topic, _ => [subscription], (_, list) => list.Add(subscription));
        return subscription;
    }

    private void Remove(string topic, InProcessSubscription subscription) =>
        topics.AddOrUpdate(topic, _ => [], (_, list) => list.Remove(subscription));

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in topics.Values.SelectMany(s => s).ToList())
        {
            await subscription.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of topic {Topic} failed")]
    private static partial void HandlerFailed(ILogger logger, Exception exception, string topic);

    private sealed class Binding(List<IAsyncDisposable> subscriptions) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }
        }
    }
}
