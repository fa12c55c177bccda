namespace Messenger.Core.Domain;

/// <summary>What a message carries when it is a photo or a video; <see cref="Url"/> is filled per reader.</summary>
public sealed record MediaInfo(string MediaId, string ContentType, long Size, int? Width, int? Height, string? Url);
