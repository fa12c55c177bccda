using Messenger.Core.Domain;
using Messenger.Core.Ports;

namespace Messenger.Embedded;

/// <summary>The catalog of a host that stores no media: no mediaId can be attached, so such a send is a 404.</summary>
public sealed class EmptyMediaCatalog : IMediaCatalog
{
    public Task<MediaInfo?> FindAttachableAsync(string mediaId, string userId, CancellationToken cancellationToken) =>
        Task.FromResult<MediaInfo?>(null);

    public Task RecordAttachedAsync(string mediaId, string conversationId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No media can have been attached in a host that stores none.");
}
