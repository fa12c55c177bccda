namespace Messenger.Core.Domain;

/// <summary>The app URLs of media: a message's <c>media.url</c> is the download path, which answers every allowed reader.</summary>
public static class MediaPaths
{
    public const string Root = "/api/media";
    public const string ThumbnailSuffix = "/thumbnail";

    public static string Download(string mediaId) => $"{Root}/{mediaId}";

    public static string Thumbnail(string mediaId) => Download(mediaId) + ThumbnailSuffix;
}
