namespace Messenger.Core.Domain;

/// <summary>What checking the stored bytes found: the sniffed type, the exact size and hash, the image's dimensions if known.</summary>
public sealed record MediaContent(string ContentType, long Size, string Sha256, int? Width, int? Height, ThumbnailState Thumbnail);
