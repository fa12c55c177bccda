using Microsoft.Extensions.Logging;

namespace Messenger.Push;

/// <summary>
/// Every log line of the push app. Device tokens appear only as <see cref="DeviceFingerprint"/>s; access tokens,
/// private keys and FCM error texts never appear.
/// </summary>
internal static partial class PushLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "Push notifications are off: set Messenger:Push:Fcm:ProjectId and Messenger:Push:Fcm:CredentialsFile to turn them on. Push requests are dropped.")]
    public static partial void PushOff(ILogger logger);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Push for message {MessageId} sent to device {Device}.")]
    public static partial void PushSent(ILogger logger, string messageId, string device);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning,
        Message = "FCM refused a push to device {Device}: HTTP {StatusCode}, status {FcmStatus}, error code {FcmErrorCode}.")]
    public static partial void SendRefused(ILogger logger, string device, int statusCode, string? fcmStatus, string? fcmErrorCode);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "A push to device {Device} failed.")]
    public static partial void SendError(ILogger logger, string device, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Device {Device} of user {UserId} removed: FCM says its token is no longer valid.")]
    public static partial void DevicePruned(ILogger logger, string device, string userId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug,
        Message = "Push for message {MessageId} to device {Device} held: conversation {ConversationId} was pushed less than a collapse window ago.")]
    public static partial void PushHeld(ILogger logger, string messageId, string device, string conversationId);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Debug,
        Message = "Push for message {MessageId} (seq {Seq}) to device {Device} ignored: this or a later message was already handled.")]
    public static partial void PushDuplicate(ILogger logger, string messageId, long seq, string device);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Error, Message = "Sending the held push of conversation {ConversationId} failed.")]
    public static partial void HeldPushFailed(ILogger logger, string conversationId, Exception exception);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Debug,
        Message = "Held push for message {MessageId} dropped: device {Device} no longer belongs to user {UserId}.")]
    public static partial void HeldPushDeviceGone(ILogger logger, string messageId, string device, string userId);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "FCM access token obtained for {ClientEmail}; refreshed after {RefreshAt:O}.")]
    public static partial void AccessTokenObtained(ILogger logger, string clientEmail, DateTimeOffset refreshAt);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "FCM rejected the access token (HTTP 401); fetching a new one.")]
    public static partial void AccessTokenRejected(ILogger logger);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Push request for message {MessageId} ignored: {Problem}.")]
    public static partial void RequestInvalid(ILogger logger, string messageId, string problem);
}
