namespace Messenger.Media.Storage;

/// <summary>What blob storage knows of one blob: its length and its version tag.</summary>
public sealed record StoredBlob(long Size, string ETag);
