using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;

namespace Messenger.Core.Services;

/// <summary>The catalog over stored media metadata: its uploader may attach ready media; a send opens it to the conversation.</summary>
public sealed class MediaCatalog(IMediaStore store) : IMediaCatalog
{
    public async Task<MediaInfo?> FindAttachableAsync(string mediaId, string userId, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(mediaId))
        {
            return null;
        }

        var record = await store.GetAsync(mediaId, cancellationToken);
        return record is { Status: MediaStatus.Ready } && record.OwnerId == userId ? record.ToMediaInfo() : null;
    }

    /// <summary>Fails with not_found when the media was deleted since it was found (swept as never sent).</summary>
    public async Task RecordAttachedAsync(string mediaId, string conversationId, CancellationToken cancellationToken)
    {
        if (!await store.AddConversationAsync(mediaId, conversationId, cancellationToken))
        {
            throw ChatException.NotFound("Media not found.");
        }
    }

    public Task ReleaseAsync(string mediaId, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.ReleaseAsync(mediaId, at, cancellationToken);
}
