namespace Messenger.Sidecar.PubSub;

/// <summary>The sidecar side of a subscription: takes one event to its settled end (delivered, dropped or sent to
/// the dead-letter topic, retries included). The broker acknowledges the event when this returns.</summary>
public interface IEventHandler
{
    Task HandleAsync(BrokerMessage message, CancellationToken cancellationToken);
}
