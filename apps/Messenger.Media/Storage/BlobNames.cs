using Messenger.Core.Domain;

namespace Messenger.Media.Storage;

/// <summary>The blobs of one media item, all under its id: the checked original, its thumbnail and a direct upload's staging blob.</summary>
public static class BlobNames
{
    public const string OriginalName = "original";
    public const string ThumbnailName = "thumbnail";
    public const string StagingName = "upload";

    public static string Original(string mediaId) => Of(mediaId, OriginalName);

    public static string Thumbnail(string mediaId) => Of(mediaId, ThumbnailName);

    public static string Staging(string mediaId) => Of(mediaId, StagingName);

    public static IReadOnlyList<string> All(string mediaId) => [Original(mediaId), Thumbnail(mediaId), Staging(mediaId)];

    private static string Of(string mediaId, string name) =>
        Ids.IsWellFormed(mediaId) ? $"{mediaId}/{name}" : throw new ArgumentException("Not a media id.", nameof(mediaId));
}
