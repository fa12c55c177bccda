using System.Collections.Immutable;

namespace Messenger.Core.Domain;

/// <summary>
/// The metadata of one uploaded photo or video. <see cref="ContentType"/>, <see cref="Size"/> and
/// <see cref="Sha256"/> are what was sniffed and measured from the stored bytes once <see cref="Status"/> is
/// <see cref="MediaStatus.Ready"/>; before that they are what the uploader declared. <see cref="ConversationIds"/>
/// are the conversations in which a message carried it: their members may download it.
/// <see cref="PendingUntil"/> is when an unfinished upload is abandoned (and, for a direct upload, when its write
/// URL has expired so that the staging blob can be swept). <see cref="ThumbnailAttempts"/> counts the times its
/// processing was begun, so that an image whose thumbnail keeps failing (or kills the process) is given up on.
/// <see cref="ChargedBytes"/> is what the original counts against its owner's storage quota (while uploading: the
/// bytes reserved for it) and <see cref="ThumbnailBytes"/> what its thumbnail counts; deleting the record gives both back.
/// </summary>
public sealed record MediaRecord(
    string MediaId,
    string OwnerId,
    MediaStatus Status,
    string ContentType,
    long Size,
    string? Sha256,
    int? Width,
    int? Height,
    ThumbnailState Thumbnail,
    string? ThumbnailContentType,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PendingUntil,
    ImmutableArray<string> ConversationIds,
    int ThumbnailAttempts = 0,
    long ChargedBytes = 0,
    long ThumbnailBytes = 0)
{
    /// <summary>What a message carries: the download URL is the app's, so that it works for every reader.</summary>
    public MediaInfo ToMediaInfo() => new(MediaId, ContentType, Size, Width, Height, MediaPaths.Download(MediaId));
}
