namespace Messenger.Media.Storage;

/// <summary>Where the bytes of media live: Azure Blob Storage, or the local disk in embedded mode.</summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into a new blob. The blob appears only once all of it is stored: if reading
    /// the content or writing fails, nothing is left behind.
    /// </summary>
    Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>The blob's content, or null if there is no such blob.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken);

    Task<StoredBlob?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Fills <paramref name="buffer"/> with the blob's bytes from <paramref name="offset"/> on, reading only that
    /// range; how many bytes it filled: fewer than asked only where the blob ends, 0 at or past the end, or if there
    /// is no such blob.
    /// </summary>
    Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Removes the blob; no error if there is none.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
