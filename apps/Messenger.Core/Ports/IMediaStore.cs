using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>
/// Media metadata (never the bytes): embedded in SQLite, in Dapr mode in the state store. Every change is to one
/// record, so each method is a single keyed write.
/// </summary>
public interface IMediaStore
{
    /// <summary>Stores a new record; its id is fresh.</summary>
    Task AddAsync(MediaRecord record, CancellationToken cancellationToken);

    Task<MediaRecord?> GetAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the record from <paramref name="expected"/> to <see cref="MediaStatus.Ready"/> with what the checked
    /// bytes are; false when it is gone or no longer in <paramref name="expected"/>.
    /// </summary>
    Task<bool> MarkReadyAsync(string mediaId, MediaStatus expected, MediaContent content, CancellationToken cancellationToken);

    /// <summary>Records the outcome of thumbnailing a ready image (its dimensions when they are known).</summary>
    Task RecordThumbnailAsync(string mediaId, MediaThumbnail thumbnail, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one more attempt at the record's thumbnail, before it is made, so that an attempt that never finishes
    /// (the process died in it) is counted too; the attempts so far, this one included (0 when the record is gone).
    /// </summary>
    Task<int> CountThumbnailAttemptAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>Forgets that the record has anything pending (its staging blob is swept).</summary>
    Task ClearPendingAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>A message carrying the media was stored in the conversation; adding it twice is no change.</summary>
    Task AddConversationAsync(string mediaId, string conversationId, CancellationToken cancellationToken);

    Task DeleteAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>Records whose <see cref="MediaRecord.PendingUntil"/> is before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<MediaRecord>> ListPendingExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Ready images whose thumbnail is still to be made (after a restart, say), oldest first.</summary>
    Task<IReadOnlyList<string>> ListAwaitingThumbnailAsync(int limit, CancellationToken cancellationToken);
}
