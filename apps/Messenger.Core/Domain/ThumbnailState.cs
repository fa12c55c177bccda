namespace Messenger.Core.Domain;

/// <summary>
/// Whether a thumbnail exists for a media item. After the upload, off the request path, an image gets its thumbnail
/// and a video its dimensions (videos get no thumbnail: there is no decoder).
/// </summary>
public enum ThumbnailState
{
    /// <summary>No thumbnail, and nothing more to do: a video once measured (or found unmeasurable).</summary>
    None,

    /// <summary>The work after the upload has not run yet: an image's thumbnail, a video's dimensions.</summary>
    Pending,

    Ready,

    /// <summary>The image could not be decoded (or is too large to decode); it can still be downloaded.</summary>
    Failed,
}
