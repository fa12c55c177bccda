namespace Messenger.Media.Ingest;

/// <summary>The bytes are not one of the allowed types (answered with 415).</summary>
public sealed class UnsupportedMediaException(string message) : Exception(message)
{
    public static UnsupportedMediaException NotAllowed() =>
        new("Only JPEG, PNG, GIF and WebP images and MP4, WebM and QuickTime videos can be uploaded; the content is none of these.");
}
