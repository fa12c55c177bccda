namespace Messenger.Core.Subscriptions;

/// <summary>Handles the events of one subscription. Every bus delivers at least once, so a handler is idempotent.</summary>
public interface IEventHandler<in TEvent>
    where TEvent : class
{
    Task HandleAsync(TEvent @event, CancellationToken cancellationToken);
}
