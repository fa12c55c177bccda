using Dapr.Client;
using Messenger.Core.Ports;
using Messenger.Core.Telemetry;

namespace Messenger.Dapr.Bus;

/// <summary>
/// Publishes through the sidecar to the <c>pubsub</c> component; the sidecar wraps each event in a CloudEvent. The
/// publish is a producer span: the call to the sidecar carries its W3C <c>traceparent</c> (gRPC metadata), which
/// daprd writes into the CloudEvent and sends again as a header with the delivery.
/// </summary>
public sealed class DaprEventBus(DaprClient dapr) : IEventBus
{
    /// <summary>The <c>messaging.system</c> of the publish spans.</summary>
    public const string MessagingSystem = "dapr";

    public async Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken)
        where TEvent : class
    {
        using var span = MessengerTelemetry.StartPublish(MessagingSystem, topic);
        await dapr.PublishEventAsync(DaprNames.PubSub, topic, @event, cancellationToken);
    }
}
