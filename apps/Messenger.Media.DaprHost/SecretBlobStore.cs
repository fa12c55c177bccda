using Azure.Storage.Blobs;
using Dapr.Client;
using Messenger.Dapr;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;

namespace Messenger.Media.DaprHost;

/// <summary>
/// Azure Blob Storage whose connection string is a secret in the <c>secretstore</c> component. Reading a secret is a
/// sidecar call, so it happens after the host has started (<see cref="BlobSecretLoader"/> reads it as soon as the
/// sidecar answers) or on first use, never while the host is built; until then the app is healthy, and calls that
/// need the blobs wait for the read (or fail, and the next call tries again).
/// </summary>
public sealed class SecretBlobStore(
    DaprClient dapr, IOptions<MediaOptions> media, IOptions<MediaSecretOptions> secret, TimeProvider time, ILoggerFactory loggers)
    : IBlobStore, IDirectBlobAccess, IDisposable
{
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile AzureBlobStore? loaded;

    public bool IsLoaded => loaded is not null;

    private string SecretName => secret.Value.BlobConnectionStringSecret
        ?? throw new InvalidOperationException("No blob storage secret is configured.");

    /// <summary>The store, reading the secret the first time; throws <see cref="InvalidBlobSecretException"/> when the secret is unusable.</summary>
    public async Task<AzureBlobStore> LoadAsync(CancellationToken cancellationToken)
    {
        if (loaded is { } store)
        {
            return store;
        }

        await loading.WaitAsync(cancellationToken);
        try
        {
            if (loaded is null)
            {
                var values = await dapr.GetSecretAsync(DaprNames.SecretStore, SecretName, cancellationToken: cancellationToken);
                loaded = Create(ConnectionString(values));
            }

            return loaded;
        }
        finally
        {
            loading.Release();
        }
    }

    public async Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).WriteAsync(name, content, contentType, cancellationToken);

    public async Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).OpenReadAsync(name, cancellationToken);

    public async Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).ReadAsync(name, offset, buffer, cancellationToken);

    public async Task<StoredBlob?> GetAsync(string name, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).GetAsync(name, cancellationToken);

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).DeleteAsync(name, cancellationToken);

    /// <summary>
    /// Signing needs no call, so it cannot wait for the secret: before the secret is read (only in the seconds after a
    /// start, while the sidecar comes up) it fails and the download answers an error.
    /// </summary>
    public Uri ReadUrl(string name, string contentType, TimeSpan lifetime) =>
        (loaded ?? throw new InvalidOperationException($"Blob storage is not ready: the secret '{SecretName}' has not been read yet."))
        .ReadUrl(name, contentType, lifetime);

    public async Task<Uri> WriteUrlAsync(string name, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).WriteUrlAsync(name, expiresAt, cancellationToken);

    public async Task<Stream?> OpenReadAsync(string name, string etag, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).OpenReadAsync(name, etag, cancellationToken);

    public async Task CopyAsync(string source, string sourceEtag, string destination, string contentType, CancellationToken cancellationToken) =>
        await (await LoadAsync(cancellationToken)).CopyAsync(source, sourceEtag, destination, contentType, cancellationToken);

    public void Dispose()
    {
        loading.Dispose();
        loaded?.Dispose();
    }

    /// <summary>
    /// The local file store answers <c>{name: value}</c>; a Kubernetes secret answers all its keys, of which the one
    /// named like the secret (or the only one) is taken.
    /// </summary>
    private string ConnectionString(IReadOnlyDictionary<string, string> values)
    {
        var value = values.TryGetValue(SecretName, out var named) ? named : values.Count == 1 ? values.Values.Single() : null;
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidBlobSecretException($"The secret '{SecretName}' in '{DaprNames.SecretStore}' holds no connection string.")
            : value;
    }

    private AzureBlobStore Create(string connectionString)
    {
        var options = media.Value;
        BlobContainerClient container;
        try
        {
            container = new BlobContainerClient(connectionString, options.ContainerName);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // Not the parser's message: it may quote the connection string.
            throw new InvalidBlobSecretException($"The secret '{SecretName}' is not a storage connection string.");
        }

        if (!container.CanGenerateSasUri)
        {
            throw new InvalidBlobSecretException($"The connection string in the secret '{SecretName}' has no account key (the media app signs SAS URLs with it).");
        }

        var logger = loggers.CreateLogger<AzureBlobStore>();
        if (logger.IsEnabled(LogLevel.Information))
        {
            var where = $"in blob container '{options.ContainerName}' of account '{container.AccountName}' (from the secret '{SecretName}')";
            MediaDaprLog.StorageChosen(logger, where);
        }

        return new AzureBlobStore(container, options.BlockSize, time, logger);
    }
}
