namespace Messenger.Core.Domain;

/// <summary>
/// The outcome of thumbnailing an image: its dimensions (when it could be decoded), the thumbnail's type and its size
/// in bytes (what it counts against the owner's storage quota; 0 without a thumbnail).
/// </summary>
public sealed record MediaThumbnail(ThumbnailState State, int? Width, int? Height, string? ContentType, long Size = 0);
