namespace Messenger.Core.Ports;

/// <summary>Publishes an event to a topic. Delivery is at least once; handlers are idempotent.</summary>
public interface IEventBus
{
    Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken)
        where TEvent : class;
}
