namespace Messenger.Core.Domain;

/// <summary>The outcome of thumbnailing an image: its dimensions (when it could be decoded) and the thumbnail's type.</summary>
public sealed record MediaThumbnail(ThumbnailState State, int? Width, int? Height, string? ContentType);
