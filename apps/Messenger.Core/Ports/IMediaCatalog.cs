using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>Media that users have uploaded, as a message refers to it.</summary>
public interface IMediaCatalog
{
    /// <summary>The media if it exists, is complete and <paramref name="userId"/> may attach it (the uploader); else null.</summary>
    Task<MediaInfo?> FindAttachableAsync(string mediaId, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// A message carrying the media is about to be stored in the conversation: its members may now download it, and it
    /// is never swept as unsent. Throws not_found when the media is gone (swept since it was found).
    /// </summary>
    Task RecordAttachedAsync(string mediaId, string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// A message carrying the media was deleted for everyone at <paramref name="at"/>: once no other message carries
    /// it, nobody may download it and the sweeper deletes it (blob and thumbnail).
    /// </summary>
    Task ReleaseAsync(string mediaId, DateTimeOffset at, CancellationToken cancellationToken);
}
