namespace Messenger.Dapr.Subscriptions;

/// <summary>The app's endpoints the sidecar calls for pub/sub.</summary>
public static class DaprRoutes
{
    /// <summary>Where the sidecar asks which topics this app subscribes to (programmatic subscriptions).</summary>
    public const string Subscribe = "/dapr/subscribe";

    public const string EventsPrefix = "/events/";

    public const string DeadLetters = EventsPrefix + "deadletter";

    /// <summary>The route of a declared subscription, after its name (a gateway's topic names its instance; the route does not).</summary>
    public static string For(string subscriptionName) => EventsPrefix + subscriptionName;
}
