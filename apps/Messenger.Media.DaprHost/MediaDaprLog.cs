namespace Messenger.Media.DaprHost;

/// <summary>The log lines of the media app's Dapr adapters. The connection string and SAS URLs never appear.</summary>
internal static partial class MediaDaprLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning,
        Message = "The blob storage secret '{Secret}' could not be read yet ({Error}); trying again in {Delay}.")]
    public static partial void SecretNotReadYet(ILogger logger, string secret, string error, TimeSpan delay);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Critical, Message = "The blob storage secret '{Secret}' is unusable: {Reason}")]
    public static partial void SecretUnusable(ILogger logger, string secret, string reason);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Media blobs are stored {Where}.")]
    public static partial void StorageChosen(ILogger logger, string where);
}
