namespace Messenger.Core.Subscriptions;

/// <summary>
/// A topic an app subscribes to, declared once beside its handler (<see cref="SubscriptionServiceExtensions.AddSubscription{TEvent, THandler}"/>).
/// Whichever adapter set runs the app binds the declared list: the in-process bus in one process, <c>/dapr/subscribe</c>
/// and a CloudEvent route per subscription under Dapr.
/// </summary>
public sealed class Subscription
{
    internal Subscription(string name, Type eventType, Func<IServiceProvider, string> topic, Func<IServiceProvider, object, CancellationToken, Task> deliver, bool handsOff)
    {
        Name = name;
        EventType = eventType;
        TopicOf = topic;
        Deliver = deliver;
        HandsOff = handsOff;
    }

    /// <summary>Stable name of the subscription (a route segment under Dapr); the topic itself may depend on the instance.</summary>
    public string Name { get; }

    public Type EventType { get; }

    /// <summary>The topic, known once the app's services are (a gateway's topic holds its instance id).</summary>
    public Func<IServiceProvider, string> TopicOf { get; }

    /// <summary>Hands one event (of <see cref="EventType"/>) to the handler.</summary>
    public Func<IServiceProvider, object, CancellationToken, Task> Deliver { get; }

    /// <summary>
    /// The handler only hands the event on (to a queue) without waiting, so a bus may run it inside the publisher's
    /// call instead of on a queue and a thread of its own.
    /// </summary>
    public bool HandsOff { get; }
}
