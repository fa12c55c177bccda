namespace Messenger.Media.Ingest;

/// <summary>Direct upload needs blob storage, which this host does not use (answered with 501).</summary>
public sealed class DirectUploadUnavailableException() : Exception(
    $"Direct upload needs blob storage (set {MediaOptions.Section}:{nameof(MediaOptions.BlobConnectionString)}); upload through POST /api/media instead.");
