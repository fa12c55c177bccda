namespace Messenger.Media;

/// <summary>One entry of the allow-list: the content type that the stored bytes are served as.</summary>
public sealed record MediaType(string ContentType, MediaKind Kind)
{
    public static MediaType Jpeg { get; } = new("image/jpeg", MediaKind.Image);
    public static MediaType Png { get; } = new("image/png", MediaKind.Image);
    public static MediaType Gif { get; } = new("image/gif", MediaKind.Image);
    public static MediaType Webp { get; } = new("image/webp", MediaKind.Image);
    public static MediaType Mp4 { get; } = new("video/mp4", MediaKind.Video);
    public static MediaType Webm { get; } = new("video/webm", MediaKind.Video);
    public static MediaType QuickTime { get; } = new("video/quicktime", MediaKind.Video);

    public static IReadOnlyList<MediaType> Allowed { get; } = [Jpeg, Png, Gif, Webp, Mp4, Webm, QuickTime];

    /// <summary>The allowed type named by a Content-Type value (parameters and case ignored), or null.</summary>
    public static MediaType? Find(string? contentType)
    {
        var essence = contentType?.Split(';', 2)[0].Trim();
        return Allowed.FirstOrDefault(t => string.Equals(t.ContentType, essence, StringComparison.OrdinalIgnoreCase));
    }
}
