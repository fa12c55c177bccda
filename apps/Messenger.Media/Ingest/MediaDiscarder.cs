using Messenger.Core.Ports;
using Messenger.Media.Storage;

namespace Messenger.Media.Ingest;

/// <summary>Removes every blob of a media item and then its record; what fails to go is left for the sweeper.</summary>
public sealed class MediaDiscarder(IMediaStore store, IBlobStore blobs, ILogger<MediaDiscarder> logger)
{
    /// <summary>
    /// Best effort: a failure of any kind here must not hide the one that made the upload fail. Callers pass
    /// <see cref="CancellationToken.None"/> when the request that stored the media may already be gone.
    /// </summary>
    public async Task DiscardAsync(string mediaId, string reason, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var name in BlobNames.All(mediaId))
            {
                await blobs.DeleteAsync(name, cancellationToken);
            }

            await store.DeleteAsync(mediaId, cancellationToken);
            MediaLog.UploadDiscarded(logger, mediaId, reason);
        }
        catch (Exception e)
        {
            MediaLog.DiscardFailed(logger, mediaId, e);
        }
    }

    /// <summary>Removes one blob (a direct upload's staging blob), best effort.</summary>
    public async Task DeleteBlobAsync(string mediaId, string name, CancellationToken cancellationToken)
    {
        try
        {
            await blobs.DeleteAsync(name, cancellationToken);
        }
        catch (Exception e)
        {
            MediaLog.DiscardFailed(logger, mediaId, e);
        }
    }
}
