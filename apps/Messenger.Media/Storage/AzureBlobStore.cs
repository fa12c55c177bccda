using System.Buffers;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Messenger.Core.Errors;

namespace Messenger.Media.Storage;

/// <summary>
/// Blobs in one Azure Blob Storage container (created on first use, private). Uploads are staged block by block
/// (one block in memory at a time) and committed at the end, so a failed upload never becomes a blob; the blocks it
/// staged are dropped. SAS URLs are signed with the account key of the connection string.
/// </summary>
public sealed class AzureBlobStore : IBlobStore, IDirectBlobAccess, IDisposable
{
    /// <summary>How long the read SAS that a server-side copy uses for its source stays valid.</summary>
    private static readonly TimeSpan CopySourceLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// What a write sends to storage is not cancelled with the upload (the client going away cancels only the reads
    /// of its body): a call abandoned half-way may still land in the store after the clean-up that follows the
    /// failure, leaving a block or a blob behind. Each call is bounded by the client's own retry policy instead.
    /// </summary>
    private static CancellationToken StorageCallToken => CancellationToken.None;

    private readonly BlobContainerClient container;
    private readonly int blockSize;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim creating = new(1, 1);
    private volatile bool created;

    public AzureBlobStore(BlobContainerClient container, int blockSize, TimeProvider time, ILogger<AzureBlobStore> logger)
    {
        if (!container.CanGenerateSasUri)
        {
            throw new InvalidOperationException(
                $"{MediaOptions.Section}:{nameof(MediaOptions.BlobConnectionString)} must carry an account key: the media app signs SAS URLs with it.");
        }

        this.container = container;
        this.blockSize = blockSize;
        this.time = time;
        this.logger = logger;
    }

    public async Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var blob = container.GetBlockBlobClient(name);
        var headers = new BlobHttpHeaders { ContentType = contentType };
        var createOnly = new BlobRequestConditions { IfNoneMatch = ETag.All };
        var blockIds = new List<string>();
        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            while (true)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, cancellationToken);
                if (blockIds.Count == 0 && read < blockSize)
                {
                    // All of it fits in one request.
                    using var whole = new MemoryStream(buffer, 0, read, writable: false);
                    await blob.UploadAsync(whole, new BlobUploadOptions { HttpHeaders = headers, Conditions = createOnly }, StorageCallToken);
                    return;
                }

                if (read == 0)
                {
                    break;
                }

                var blockId = BlockId(blockIds.Count);
                using (var block = new MemoryStream(buffer, 0, read, writable: false))
                {
                    await blob.StageBlockAsync(blockId, block, new BlockBlobStageBlockOptions(), StorageCallToken);
                }

                blockIds.Add(blockId);
                if (read < blockSize)
                {
                    break;
                }
            }

            await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions { HttpHeaders = headers, Conditions = createOnly }, StorageCallToken);
        }
        catch (Exception) when (blockIds.Count > 0)
        {
            await DropStagedBlocksAsync(blob);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        await DownloadAsync(name, new BlobDownloadOptions(), cancellationToken);

    public async Task<Stream?> OpenReadAsync(string name, string etag, CancellationToken cancellationToken) =>
        await DownloadAsync(name, new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) } }, cancellationToken);

    public async Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        await EnsureContainerAsync(cancellationToken);
        try
        {
            var download = await container.GetBlobClient(name).DownloadStreamingAsync(
                new BlobDownloadOptions { Range = new HttpRange(offset, buffer.Length) }, cancellationToken);
            await using var content = download.Value.Content;
            return await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is StatusCodes.Status404NotFound or StatusCodes.Status416RangeNotSatisfiable)
        {
            // No such blob, or the range begins past its end.
            return 0;
        }
    }

    public async Task<StoredBlob?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            var properties = await container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken);
            return new StoredBlob(properties.Value.ContentLength, properties.Value.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }

    public Uri ReadUrl(string name, string contentType, TimeSpan lifetime)
    {
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, time.GetUtcNow() + lifetime)
        {
            BlobContainerName = container.Name,
            BlobName = name,
            Resource = "b",
            ContentType = contentType,
        };
        return container.GetBlobClient(name).GenerateSasUri(sas);
    }

    public async Task<Uri> WriteUrlAsync(string name, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        // The container must be there before anyone writes to it with the URL.
        await EnsureContainerAsync(cancellationToken);
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt)
        {
            BlobContainerName = container.Name,
            BlobName = name,
            Resource = "b",
        };
        return container.GetBlobClient(name).GenerateSasUri(sas);
    }

    public async Task CopyAsync(string source, string sourceEtag, string destination, string contentType, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var sourceUrl = container.GetBlobClient(source).GenerateSasUri(BlobSasPermissions.Read, time.GetUtcNow() + CopySourceLifetime);
        var target = container.GetBlobClient(destination);
        try
        {
            var copy = await target.StartCopyFromUriAsync(
                sourceUrl,
                new BlobCopyFromUriOptions { SourceConditions = new BlobRequestConditions { IfMatch = new ETag(sourceEtag) } },
                cancellationToken);
            await copy.WaitForCompletionAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            throw Changed();
        }

        // The uploader chose the staging blob's headers; the copy is served only as what was sniffed.
        await target.SetHttpHeadersAsync(new BlobHttpHeaders { ContentType = contentType }, cancellationToken: cancellationToken);
    }

    private async Task<Stream?> DownloadAsync(string name, BlobDownloadOptions options, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            var download = await container.GetBlobClient(name).DownloadStreamingAsync(options, cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            throw Changed();
        }
    }

    public void Dispose() => creating.Dispose();

    private static ChatException Changed() => ChatException.Conflict("The upload changed while it was being checked; complete it again.");

    /// <summary>A failed upload's staged blocks would linger for days: committing an empty list drops them, then the empty blob goes.</summary>
    private async Task DropStagedBlocksAsync(BlockBlobClient blob)
    {
        try
        {
            await blob.CommitBlockListAsync([], new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, CancellationToken.None);
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            MediaLog.StagedBlocksNotDropped(logger, blob.Name, e.Status, e.ErrorCode);
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (created)
        {
            return;
        }

        await creating.WaitAsync(cancellationToken);
        try
        {
            if (!created)
            {
                await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
                created = true;
            }
        }
        finally
        {
            creating.Release();
        }
    }

    /// <summary>Block ids of one blob must all have the same length.</summary>
    private static string BlockId(int index) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(index.ToString("d8", CultureInfo.InvariantCulture)));
}
