using System.Collections.Concurrent;
using Messenger.Media.Storage;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>A real blob store that counts the blobs written under each name.</summary>
internal sealed class CountingBlobStore(IBlobStore inner) : IBlobStore
{
    public ConcurrentDictionary<string, int> Writes { get; } = new(StringComparer.Ordinal);

    public async Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(name, content, contentType, cancellationToken);
        Writes.AddOrUpdate(name, 1, (_, n) => n + 1);
    }

    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken) => inner.OpenReadAsync(name, cancellationToken);

    public Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReadAsync(name, offset, buffer, cancellationToken);

    public Task<StoredBlob?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
}
