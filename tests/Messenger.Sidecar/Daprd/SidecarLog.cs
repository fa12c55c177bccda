using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Daprd;

internal static partial class SidecarLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "[{Sidecar}] UNKNOWN gRPC call {Path}: not implemented by the double (answered Unimplemented)")]
    public static partial void UnknownGrpc(ILogger logger, string sidecar, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Sidecar}] UNKNOWN HTTP call {Method} {Path}: not implemented by the double (answered 404)")]
    public static partial void UnknownHttp(ILogger logger, string sidecar, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] refused {Api}: {Message}")]
    public static partial void Refused(ILogger logger, string sidecar, string api, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Sidecar}] app connected: actor types [{Types}], {Subscriptions} subscription(s)")]
    public static partial void AppConnected(ILogger logger, string sidecar, string types, int subscriptions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] subscription to topic {Topic} of {PubSub} is not allowed for app id {AppId}; ignored")]
    public static partial void SubscriptionNotAllowed(ILogger logger, string sidecar, string topic, string pubSub, string appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] subscription to {Topic} of {PubSub}: pubsub {PubSub} is not found; ignored")]
    public static partial void SubscriptionPubSubMissing(ILogger logger, string sidecar, string topic, string pubSub);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Sidecar}] routing rules in the subscription to {Topic} are not evaluated by the double; using the default route {Route}")]
    public static partial void RulesIgnored(ILogger logger, string sidecar, string topic, string route);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] event {EventId} on {Topic}: {Outcome} (attempt {Attempt}, status {Status})")]
    public static partial void DeliveryOutcome(ILogger logger, string sidecar, string eventId, string topic, string outcome, int attempt, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] event {EventId} on {Topic}: app unreachable (attempt {Attempt})")]
    public static partial void DeliveryUnreachable(ILogger logger, string sidecar, string eventId, string topic, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] event {EventId} on {Topic} given up after {Attempts} attempt(s): {Fate}")]
    public static partial void GivenUp(ILogger logger, string sidecar, string eventId, string topic, int attempts, string fate);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Sidecar}] the app did not open its port {Port} within {Timeout}; its actors and subscriptions stay unknown")]
    public static partial void AppNeverCame(ILogger logger, string sidecar, int port, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Sidecar}] reading {Path} from the app failed: {Status}")]
    public static partial void AppConfigFailed(ILogger logger, string sidecar, string path, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] the app asks for {Feature}, which the double does not implement")]
    public static partial void Unsupported(ILogger logger, string sidecar, string feature);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Sidecar}] api token mismatch on {Path}")]
    public static partial void TokenRejected(ILogger logger, string sidecar, string path);
}
