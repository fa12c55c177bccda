using Dapr.Client;
using Messenger.Core.Ports;

namespace Messenger.Dapr.Bus;

/// <summary>Publishes through the sidecar to the <c>pubsub</c> component; the sidecar wraps each event in a CloudEvent.</summary>
public sealed class DaprEventBus(DaprClient dapr) : IEventBus
{
    public Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken)
        where TEvent : class =>
        dapr.PublishEventAsync(DaprNames.PubSub, topic, @event, cancellationToken);
}
