using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>
/// Media metadata (never the bytes) and each owner's storage usage: embedded in SQLite, in Dapr mode in the state
/// store. A record's <see cref="MediaRecord.ChargedBytes"/> and <see cref="MediaRecord.ThumbnailBytes"/> are counted in
/// its owner's usage from the write that sets them until the record is deleted. The quota checks
/// (<see cref="TryAddAsync"/>, <see cref="TryChargeAsync"/>) are atomic against each other: two uploads of one owner
/// never both pass a check that only one of them fits.
/// </summary>
public interface IMediaStore
{
    /// <summary>Stores a new record (its id is fresh) and counts its charge in its owner's usage, without a quota check.</summary>
    Task AddAsync(MediaRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new record and counts its <see cref="MediaRecord.ChargedBytes"/> in its owner's usage, only if the usage
    /// then stays within <paramref name="quota"/>; false, with nothing stored or counted, when it would not.
    /// </summary>
    Task<bool> TryAddAsync(MediaRecord record, long quota, CancellationToken cancellationToken);

    Task<MediaRecord?> GetAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the record's <see cref="MediaRecord.ChargedBytes"/>, and its owner's usage, by <paramref name="bytes"/>
    /// (negative gives bytes back, always allowed); an increase only if the usage then stays within
    /// <paramref name="quota"/>. False, with nothing changed, when it would not or the record is gone.
    /// </summary>
    Task<bool> TryChargeAsync(string mediaId, long bytes, long quota, CancellationToken cancellationToken);

    /// <summary>The bytes counted against the owner's quota: originals (or what in-flight uploads reserved) and thumbnails.</summary>
    Task<long> GetUsageAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the record from <paramref name="expected"/> to <see cref="MediaStatus.Ready"/> with what the checked
    /// bytes are; false when it is gone or no longer in <paramref name="expected"/>. An upload through the app gets
    /// <paramref name="sweepAt"/> as its <see cref="MediaRecord.PendingUntil"/> (when it is deleted unless it was sent
    /// by then); a direct upload keeps its own (its staging blob is swept first).
    /// </summary>
    Task<bool> MarkReadyAsync(string mediaId, MediaStatus expected, MediaContent content, DateTimeOffset? sweepAt, CancellationToken cancellationToken);

    /// <summary>
    /// Records the outcome of thumbnailing a ready image (its dimensions when they are known); the thumbnail's size
    /// replaces the record's <see cref="MediaRecord.ThumbnailBytes"/> in its owner's usage, without a quota check.
    /// </summary>
    Task RecordThumbnailAsync(string mediaId, MediaThumbnail thumbnail, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one more attempt at the record's thumbnail, before it is made, so that an attempt that never finishes
    /// (the process died in it) is counted too; the attempts so far, this one included (0 when the record is gone).
    /// </summary>
    Task<int> CountThumbnailAttemptAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>Forgets that the record has anything pending (its staging blob is swept, it was sent).</summary>
    Task ClearPendingAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>Sets when the sweeper looks at the record next.</summary>
    Task SetPendingAsync(string mediaId, DateTimeOffset pendingUntil, CancellationToken cancellationToken);

    /// <summary>
    /// A message carrying the media is about to be stored in the conversation; adding the conversation twice is no
    /// change, but each call counts one more message carrying it (a retried send may count one too many, which only
    /// keeps the media longer). False when the record is gone (it was never there, or the sweeper deleted it unsent).
    /// </summary>
    Task<bool> AddConversationAsync(string mediaId, string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// A message carrying the media was deleted for everyone: one carrier fewer (<see cref="AddConversationAsync"/>
    /// counts one per message stored with it). When none is left, no conversation may download it any more, it is
    /// <see cref="MediaStatus.Released"/> and due for the sweeper at <paramref name="at"/>, which deletes it with its
    /// blobs at its next pass. True when none is left; false
    /// while others carry it, or when it was never counted (sent before counting began: it is kept).
    /// </summary>
    Task<bool> ReleaseAsync(string mediaId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes the record and gives its charge back to its owner's usage; no error if it is gone.</summary>
    Task DeleteAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="DeleteAsync"/>, but only while no conversation has been added to the record (atomic against
    /// <see cref="AddConversationAsync"/>); true when it deleted the record.
    /// </summary>
    Task<bool> DeleteUnsentAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>Records whose <see cref="MediaRecord.PendingUntil"/> is before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<MediaRecord>> ListPendingExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Ready images whose thumbnail is still to be made (after a restart, say), oldest first.</summary>
    Task<IReadOnlyList<string>> ListAwaitingThumbnailAsync(int limit, CancellationToken cancellationToken);
}
