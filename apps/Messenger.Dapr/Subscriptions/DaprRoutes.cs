namespace Messenger.Dapr.Subscriptions;

/// <summary>The app's endpoints the sidecar calls for pub/sub.</summary>
public static class DaprRoutes
{
    /// <summary>Where the sidecar asks which topics this app subscribes to (programmatic subscriptions).</summary>
    public const string Subscribe = "/dapr/subscribe";

    /// <summary>A gateway's own delivery topic, <c>gateway.{instanceId}</c>.</summary>
    public const string Gateway = "/events/gateway";

    public const string PushRequests = "/events/push-requests";

    /// <summary>The media app's <c>media-uploaded</c> topic: make the thumbnail.</summary>
    public const string MediaUploaded = "/events/media-uploaded";

    public const string DeadLetters = "/events/deadletter";
}
