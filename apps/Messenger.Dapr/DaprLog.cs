using Microsoft.Extensions.Logging;

namespace Messenger.Dapr;

internal static partial class DaprLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The history cache could not be read for conversation {ConversationId}; reading the state store")]
    public static partial void CacheReadFailed(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The history cache could not be written for conversation {ConversationId}")]
    public static partial void CacheWriteFailed(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} on topic {Topic} is not a readable {EventType}; dropped to the dead-letter topic")]
    public static partial void EventUnreadable(ILogger logger, string eventId, string topic, string eventType);

    [LoggerMessage(Level = LogLevel.Error, Message = "The handler of event {EventId} on topic {Topic} failed; the broker will deliver it again")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string eventId, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead letter {EventId} of type {EventType} from {Source} (topic {Topic}) was given up on")]
    public static partial void DeadLetter(ILogger logger, string eventId, string eventType, string source, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} without the Dapr app API token was refused")]
    public static partial void AppTokenRefused(ILogger logger, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "APP_API_TOKEN is not set: anyone who can reach this app can call the routes meant for its Dapr sidecar (/dapr/*, /events/*, /actors/*). Set the same token for the sidecar and the app; Production refuses to start without it")]
    public static partial void AppTokenUnset(ILogger logger);
}
