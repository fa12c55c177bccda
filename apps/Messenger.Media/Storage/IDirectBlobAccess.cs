namespace Messenger.Media.Storage;

/// <summary>
/// What only real blob storage can do: signed URLs that let a client read or write one blob without going through
/// the app, and a server-side copy. Absent in local-disk mode.
/// </summary>
public interface IDirectBlobAccess
{
    /// <summary>A read-only URL for the blob, valid for <paramref name="lifetime"/>, that serves it as <paramref name="contentType"/>.</summary>
    Uri ReadUrl(string name, string contentType, TimeSpan lifetime);

    /// <summary>A write-only URL (create and write, no read) for the one blob, valid until <paramref name="expiresAt"/>.</summary>
    Task<Uri> WriteUrlAsync(string name, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>The blob's content as long as it is still at version <paramref name="etag"/>, or null if it is gone.</summary>
    Task<Stream?> OpenReadAsync(string name, string etag, CancellationToken cancellationToken);

    /// <summary>Copies version <paramref name="sourceEtag"/> of one blob to another, which is then served as <paramref name="contentType"/>.</summary>
    Task CopyAsync(string source, string sourceEtag, string destination, string contentType, CancellationToken cancellationToken);
}
