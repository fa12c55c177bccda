namespace Messenger.Core.Domain;

/// <summary>Whether a thumbnail exists for a media item; thumbnails are made after upload, off the request path.</summary>
public enum ThumbnailState
{
    /// <summary>None is made for this kind of media (video).</summary>
    None,

    /// <summary>An image whose thumbnail is still to be made.</summary>
    Pending,

    Ready,

    /// <summary>The image could not be decoded (or is too large to decode); it can still be downloaded.</summary>
    Failed,
}
