using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>Media that users have uploaded, as a message refers to it.</summary>
public interface IMediaCatalog
{
    /// <summary>The media if it exists, is complete and <paramref name="userId"/> may attach it (the uploader); else null.</summary>
    Task<MediaInfo?> FindAttachableAsync(string mediaId, string userId, CancellationToken cancellationToken);

    /// <summary>A message carrying the media was stored in the conversation: its members may now download it.</summary>
    Task RecordAttachedAsync(string mediaId, string conversationId, CancellationToken cancellationToken);
}
