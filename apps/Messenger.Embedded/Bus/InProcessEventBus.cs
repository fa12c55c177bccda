using System.Collections.Concurrent;
using System.Collections.Immutable;
using Messenger.Core.Ports;

namespace Messenger.Embedded.Bus;

/// <summary>
/// Topics in memory. Each subscription has a bounded queue of its own and a single reader, so a topic's events reach
/// a subscriber in the order they were published, and a slow subscriber slows its publishers instead of losing events.
/// </summary>
public sealed class InProcessEventBus : IEventBus, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ImmutableArray<InProcessSubscription>> topics = new(StringComparer.Ordinal);

    public async Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken)
        where TEvent : class
    {
        if (!topics.TryGetValue(topic, out var subscriptions))
        {
            return;
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.EnqueueAsync(@event, cancellationToken);
        }
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
        subscription = new InProcessSubscription(e => handler((TEvent)e, CancellationToken.None), onError, () => Remove(topic, subscription!), inline);
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
}
