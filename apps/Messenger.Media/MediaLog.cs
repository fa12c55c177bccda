namespace Messenger.Media;

/// <summary>Every log line of the media app. Connection strings and SAS URLs never appear.</summary>
internal static partial class MediaLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Media blobs are stored {Where}.")]
    public static partial void StorageChosen(ILogger logger, string where);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Media {MediaId} of user {OwnerId} stored: {ContentType}, {Size} bytes.")]
    public static partial void Stored(ILogger logger, string mediaId, string ownerId, string contentType, long size);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Upload of media {MediaId} did not finish ({Reason}); its blob and metadata are removed.")]
    public static partial void UploadDiscarded(ILogger logger, string mediaId, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Removing media {MediaId} failed; it is swept later.")]
    public static partial void DiscardFailed(ILogger logger, string mediaId, Exception exception);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning,
        Message = "The staged blocks of blob {Blob} could not be dropped (HTTP {Status}, {ErrorCode}); blob storage drops them within a week.")]
    public static partial void StagedBlocksNotDropped(ILogger logger, string blob, int status, string? errorCode);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Debug, Message = "Thumbnail of media {MediaId} made: {Width}x{Height} image.")]
    public static partial void ThumbnailMade(ILogger logger, string mediaId, int width, int height);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "No thumbnail for media {MediaId}: {Reason}.")]
    public static partial void ThumbnailFailed(ILogger logger, string mediaId, string reason);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Information, Message = "Swept {Count} abandoned, expired or unsent uploads ({Unsent} deleted as never sent).")]
    public static partial void Swept(ILogger logger, int count, int unsent);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Error, Message = "Sweeping abandoned uploads failed; trying again at the next interval.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Debug, Message = "Upload aborted by the client: {Path}.")]
    public static partial void UploadAborted(ILogger logger, string path);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Debug, Message = "Video {MediaId} measured: {Width}x{Height} as shown.")]
    public static partial void VideoMeasured(ILogger logger, string mediaId, int width, int height);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "Dimensions of video {MediaId} unknown: its container names no readable video track dimensions.")]
    public static partial void VideoNotMeasured(ILogger logger, string mediaId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The media still waiting for processing could not be listed yet ({Error}); trying again in {Delay}.")]
    public static partial void BacklogNotReadYet(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked again for the processing of {Count} media that were still waiting for it.")]
    public static partial void BacklogRequeued(ILogger logger, int count);

    [LoggerMessage(EventId = 6016, Level = LogLevel.Warning, Message = "Processing of media {MediaId} failed at attempt {Attempt} of {MaxAttempts}; it is marked failed and not tried again.")]
    public static partial void ProcessingGivenUp(ILogger logger, string mediaId, int attempt, int maxAttempts, Exception? exception);
}
