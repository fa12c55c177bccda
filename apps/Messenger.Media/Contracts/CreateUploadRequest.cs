namespace Messenger.Media.Contracts;

/// <summary><c>POST /api/media/uploads</c>: what the client is about to upload directly to blob storage.</summary>
public sealed record CreateUploadRequest(string? ContentType, long? Size);
