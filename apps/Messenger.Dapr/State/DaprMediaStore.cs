using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// Media metadata in the state store. <c>media:{id}</c> holds the whole record, the conversations it was sent in
/// included, and every change to it is an ETag-guarded update of that one key. What the sweeper and the thumbnail
/// backlog need to list comes from two sharded indexes (no state Query API): <c>media-pending:{shard}</c> (media with
/// a pendingUntil, by pendingUntil) and <c>media-thumbnails:{shard}</c> (ready images awaiting a thumbnail, by
/// creation). An entry is added before the record needs it and removed after the record no longer does, so an index
/// may name too much, never too little; listings check each record and drop the entries that are definitely stale.
/// Each owner's storage usage is <c>media-usage:{userId}</c>. A record and the usage are two keys: an increase is
/// written to the usage before the record (and taken back if the record cannot be written), a decrease after it,
/// so a process that dies between the two writes leaves the usage too high by that one change, never too low.
/// </summary>
public sealed class DaprMediaStore(StateRecords records, IOptions<DaprOptions> options) : IMediaStore
{
    public Task AddAsync(MediaRecord record, CancellationToken cancellationToken) =>
        TryAddAsync(record, long.MaxValue, cancellationToken);

    public async Task<bool> TryAddAsync(MediaRecord record, long quota, CancellationToken cancellationToken)
    {
        var charge = record.ChargedBytes + record.ThumbnailBytes;
        if (!await ChargeOwnerAsync(record.OwnerId, charge, quota, cancellationToken))
        {
            return false;
        }

        try
        {
            if (record.PendingUntil is { } pendingUntil)
            {
                await IndexAsync(StateKeys.MediaPending, record.MediaId, pendingUntil, cancellationToken);
            }

            if (record is { Status: MediaStatus.Ready, Thumbnail: ThumbnailState.Pending })
            {
                await IndexAsync(StateKeys.MediaAwaitingThumbnail, record.MediaId, record.CreatedAt, cancellationToken);
            }

            await records.Client.SaveStateAsync(DaprNames.StateStore, StateKeys.Media(record.MediaId), Normalized(record), cancellationToken: cancellationToken);
        }
        catch (Exception) when (charge != 0)
        {
            // Not the caller's token: the reservation must be given back even when the caller has gone.
            await ChargeOwnerAsync(record.OwnerId, -charge, long.MaxValue, CancellationToken.None);
            throw;
        }

        return true;
    }

    public async Task<bool> TryChargeAsync(string mediaId, long bytes, long quota, CancellationToken cancellationToken)
    {
        if (await GetAsync(mediaId, cancellationToken) is not { } record)
        {
            return false;
        }

        if (bytes > 0 && !await ChargeOwnerAsync(record.OwnerId, bytes, quota, cancellationToken))
        {
            return false;
        }

        var applied = await records.UpdateAsync<MediaRecord, bool>(DaprNames.StateStore, StateKeys.Media(mediaId), current => current is null
            ? (null, false)
            : (bytes == 0 ? current : Normalized(current) with { ChargedBytes = current.ChargedBytes + bytes }, true),
            null,
            cancellationToken);
        if (applied == (bytes < 0))
        {
            // Given back once the record no longer counts it; or the record went meanwhile, with what it counted.
            await ChargeOwnerAsync(record.OwnerId, applied ? bytes : -bytes, long.MaxValue, CancellationToken.None);
        }

        return applied;
    }

    public async Task<long> GetUsageAsync(string ownerId, CancellationToken cancellationToken) =>
        (await records.GetAsync<MediaUsage>(DaprNames.StateStore, StateKeys.MediaUsage(ownerId), cancellationToken))?.Bytes ?? 0;

    public async Task<MediaRecord?> GetAsync(string mediaId, CancellationToken cancellationToken) =>
        await records.GetAsync<MediaRecord>(DaprNames.StateStore, StateKeys.Media(mediaId), cancellationToken) is { } record ? Normalized(record) : null;

    public async Task<bool> MarkReadyAsync(string mediaId, MediaStatus expected, MediaContent content, DateTimeOffset? sweepAt, CancellationToken cancellationToken)
    {
        var before = await GetAsync(mediaId, cancellationToken);
        if (before is null || before.Status != expected)
        {
            return false;
        }

        if (before.Status != MediaStatus.AwaitingUpload && sweepAt is { } next && next != before.PendingUntil)
        {
            await IndexAsync(StateKeys.MediaPending, mediaId, next, cancellationToken);
        }

        if (content.Thumbnail == ThumbnailState.Pending)
        {
            await IndexAsync(StateKeys.MediaAwaitingThumbnail, mediaId, before.CreatedAt, cancellationToken);
        }

        var (ready, pendingCleared) = await records.UpdateAsync<MediaRecord, (bool, bool)>(DaprNames.StateStore, StateKeys.Media(mediaId), record =>
        {
            if (record is null || record.Status != expected)
            {
                return (record, (false, false));
            }

            // A direct upload keeps its pendingUntil: its staging blob is swept once the upload URL can no longer write it.
            var pendingUntil = record.Status == MediaStatus.AwaitingUpload ? record.PendingUntil : sweepAt;
            var next = Normalized(record) with
            {
                Status = MediaStatus.Ready, ContentType = content.ContentType, Size = content.Size, Sha256 = content.Sha256,
                Width = content.Width, Height = content.Height, Thumbnail = content.Thumbnail, PendingUntil = pendingUntil,
            };
            return (next, (true, record.PendingUntil is not null && pendingUntil is null));
        }, null, cancellationToken);

        if (pendingCleared)
        {
            await UnindexAsync(StateKeys.MediaPending, [mediaId], cancellationToken);
        }

        return ready;
    }

    public async Task RecordThumbnailAsync(string mediaId, MediaThumbnail thumbnail, CancellationToken cancellationToken)
    {
        var (owner, delta) = await records.UpdateAsync<MediaRecord, (string? Owner, long Delta)>(DaprNames.StateStore, StateKeys.Media(mediaId), record => record is null
            ? (null, (null, 0))
            : (Normalized(record) with
            {
                Thumbnail = thumbnail.State, ThumbnailContentType = thumbnail.ContentType,
                Width = thumbnail.Width ?? record.Width, Height = thumbnail.Height ?? record.Height, ThumbnailBytes = thumbnail.Size,
            }, (record.OwnerId, thumbnail.Size - record.ThumbnailBytes)),
            null,
            cancellationToken);
        if (owner is not null && delta != 0)
        {
            await ChargeOwnerAsync(owner, delta, long.MaxValue, cancellationToken);
        }

        if (thumbnail.State != ThumbnailState.Pending)
        {
            await UnindexAsync(StateKeys.MediaAwaitingThumbnail, [mediaId], cancellationToken);
        }
    }

    public Task<int> CountThumbnailAttemptAsync(string mediaId, CancellationToken cancellationToken) =>
        records.UpdateAsync<MediaRecord, int>(DaprNames.StateStore, StateKeys.Media(mediaId), record => record is null
            ? (null, 0)
            : (Normalized(record) with { ThumbnailAttempts = record.ThumbnailAttempts + 1 }, record.ThumbnailAttempts + 1),
            null,
            cancellationToken);

    public async Task ClearPendingAsync(string mediaId, CancellationToken cancellationToken)
    {
        await records.UpdateAsync<MediaRecord>(DaprNames.StateStore, StateKeys.Media(mediaId), record =>
            record is null || record.PendingUntil is null ? record : Normalized(record) with { PendingUntil = null },
            cancellationToken);
        await UnindexAsync(StateKeys.MediaPending, [mediaId], cancellationToken);
    }

    public async Task SetPendingAsync(string mediaId, DateTimeOffset pendingUntil, CancellationToken cancellationToken)
    {
        await IndexAsync(StateKeys.MediaPending, mediaId, pendingUntil, cancellationToken);
        await records.UpdateAsync<MediaRecord>(DaprNames.StateStore, StateKeys.Media(mediaId), record =>
            record is null || record.PendingUntil == pendingUntil ? record : Normalized(record) with { PendingUntil = pendingUntil },
            cancellationToken);
    }

    /// <summary>The count of carriers goes up first: a crash in between leaves it one too high (the media is kept), never too low.</summary>
    public async Task<bool> AddConversationAsync(string mediaId, string conversationId, CancellationToken cancellationToken)
    {
        await records.UpdateAsync<MediaCarriers>(DaprNames.StateStore, StateKeys.MediaCarriers(mediaId), carriers =>
            new MediaCarriers((carriers?.Messages ?? 0) + 1), cancellationToken);
        return await records.UpdateAsync<MediaRecord, bool>(DaprNames.StateStore, StateKeys.Media(mediaId), record =>
        {
            if (record is null)
            {
                return (null, false);
            }

            var current = Normalized(record);
            return current.ConversationIds.Contains(conversationId)
                ? (record, true)
                : (current with { ConversationIds = current.ConversationIds.Add(conversationId) }, true);
        }, null, cancellationToken);
    }

    public async Task<bool> ReleaseAsync(string mediaId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var left = await records.UpdateAsync<MediaCarriers, long>(DaprNames.StateStore, StateKeys.MediaCarriers(mediaId), carriers =>
            carriers is null or { Messages: <= 0 } ? (carriers, -1)
            : carriers.Messages == 1 ? (null, 0)
            : (carriers with { Messages = carriers.Messages - 1 }, carriers.Messages - 1),
            null, cancellationToken);
        if (left != 0)
        {
            return false;
        }

        await records.UpdateAsync<MediaRecord>(DaprNames.StateStore, StateKeys.Media(mediaId), record =>
            record is null ? null : Normalized(record) with { ConversationIds = [], Status = MediaStatus.Released }, cancellationToken);
        await SetPendingAsync(mediaId, at, cancellationToken);
        return true;
    }

    public Task DeleteAsync(string mediaId, CancellationToken cancellationToken) =>
        DeleteWhereAsync(mediaId, _ => true, cancellationToken);

    public Task<bool> DeleteUnsentAsync(string mediaId, CancellationToken cancellationToken) =>
        DeleteWhereAsync(mediaId, record => record.ConversationIds.IsEmpty, cancellationToken);

    public async Task<IReadOnlyList<MediaRecord>> ListPendingExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        // Only entries already due are looked at: an entry is written before its record, with the record's future
        // pendingUntil, so one whose record is not there yet is never taken for stale.
        var due = (await EntriesAsync(StateKeys.MediaPending, cancellationToken)).Where(e => e.At < now).ToList();
        var found = await CheckAsync(StateKeys.MediaPending, due, limit,
            record => record.PendingUntil < now,
            record => record.PendingUntil is null,
            cancellationToken);
        return found.OrderBy(r => r.PendingUntil).ThenBy(r => r.MediaId, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> ListAwaitingThumbnailAsync(int limit, CancellationToken cancellationToken)
    {
        // An entry whose record is not ready yet is kept: it was added just before the record was made ready.
        var found = await CheckAsync(StateKeys.MediaAwaitingThumbnail, await EntriesAsync(StateKeys.MediaAwaitingThumbnail, cancellationToken), limit,
            record => record is { Status: MediaStatus.Ready, Thumbnail: ThumbnailState.Pending },
            record => record.Status == MediaStatus.Ready && record.Thumbnail != ThumbnailState.Pending,
            cancellationToken);
        return found.Select(r => r.MediaId).ToList();
    }

    /// <summary>
    /// Deletes the record if <paramref name="allowed"/> (an ETag-guarded delete: a change in between is seen), then its
    /// index entries, then gives its charge back; true when this call deleted it.
    /// </summary>
    private async Task<bool> DeleteWhereAsync(string mediaId, Func<MediaRecord, bool> allowed, CancellationToken cancellationToken)
    {
        // The record goes first: an index entry without a record is dropped by the next listing, a record without
        // its entry would never be swept.
        var deleted = await records.UpdateAsync<MediaRecord, MediaRecord?>(DaprNames.StateStore, StateKeys.Media(mediaId), record =>
            record is null || !allowed(Normalized(record)) ? (record, null) : (null, record),
            null,
            cancellationToken);
        if (deleted is null && await GetAsync(mediaId, cancellationToken) is not null)
        {
            return false;
        }

        await UnindexAsync(StateKeys.MediaPending, [mediaId], cancellationToken);
        await UnindexAsync(StateKeys.MediaAwaitingThumbnail, [mediaId], cancellationToken);
        if (deleted is not null)
        {
            await ChargeOwnerAsync(deleted.OwnerId, -(deleted.ChargedBytes + deleted.ThumbnailBytes), long.MaxValue, cancellationToken);
        }

        return deleted is not null;
    }

    /// <summary>
    /// Adds <paramref name="bytes"/> to the owner's usage (a compare-and-swap of <c>media-usage:{owner}</c>); an
    /// increase only while the usage stays within <paramref name="quota"/>.
    /// </summary>
    private Task<bool> ChargeOwnerAsync(string ownerId, long bytes, long quota, CancellationToken cancellationToken) =>
        bytes == 0
            ? Task.FromResult(true)
            : records.UpdateAsync<MediaUsage, bool>(DaprNames.StateStore, StateKeys.MediaUsage(ownerId), usage =>
            {
                var used = usage?.Bytes ?? 0;
                if (bytes > 0 && used + bytes > quota)
                {
                    return (usage, false);
                }

                var next = Math.Max(0, used + bytes);
                return (next == 0 ? null : new MediaUsage(next), true);
            }, null, cancellationToken);

    /// <summary>Every entry of the index's shards (one bulk read), oldest first.</summary>
    private async Task<List<MediaIndexEntry>> EntriesAsync(Func<int, string> shardKey, CancellationToken cancellationToken)
    {
        var shards = await records.Client.GetBulkStateAsync<MediaIndex?>(
            DaprNames.StateStore, Enumerable.Range(0, StateKeys.MediaIndexShards).Select(shardKey).ToList(), options.Value.MaxParallelCalls,
            cancellationToken: cancellationToken);
        return shards.Select(s => s.Value).OfType<MediaIndex>().SelectMany(s => s.Items)
            .OrderBy(e => e.At).ThenBy(e => e.MediaId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The records of <paramref name="entries"/> (in order, a bulk read per <paramref name="limit"/> entries) that
    /// <paramref name="wanted"/> accepts, up to <paramref name="limit"/>; entries whose record is gone or
    /// <paramref name="stale"/> are dropped from the index.
    /// </summary>
    private async Task<List<MediaRecord>> CheckAsync(
        Func<int, string> shardKey, List<MediaIndexEntry> entries, int limit, Func<MediaRecord, bool> wanted, Func<MediaRecord, bool> stale,
        CancellationToken cancellationToken)
    {
        var found = new List<MediaRecord>();
        var gone = new List<string>();
        var ids = entries.Select(e => e.MediaId).Distinct(StringComparer.Ordinal).ToList();
        for (var start = 0; start < ids.Count && found.Count < limit; start += limit)
        {
            var chunk = ids.Skip(start).Take(limit).ToList();
            var items = await records.Client.GetBulkStateAsync<MediaRecord?>(
                DaprNames.StateStore, chunk.Select(StateKeys.Media).ToList(), options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
            var byKey = items.Where(i => i.Value is not null).ToDictionary(i => i.Key, i => Normalized(i.Value!), StringComparer.Ordinal);
            foreach (var id in chunk)
            {
                if (!byKey.TryGetValue(StateKeys.Media(id), out var record) || stale(record))
                {
                    gone.Add(id);
                }
                else if (wanted(record) && found.Count < limit)
                {
                    found.Add(record);
                }
            }
        }

        if (gone.Count > 0)
        {
            await UnindexAsync(shardKey, gone, cancellationToken);
        }

        return found;
    }

    private Task IndexAsync(Func<int, string> shardKey, string mediaId, DateTimeOffset at, CancellationToken cancellationToken) =>
        records.UpdateAsync<MediaIndex>(DaprNames.StateStore, shardKey(StateKeys.MediaShardOf(mediaId)), index =>
        {
            var entries = index?.Items ?? [];
            var entry = new MediaIndexEntry(mediaId, at);
            return entries.Contains(entry) ? index : new MediaIndex(entries.RemoveAll(e => e.MediaId == mediaId).Add(entry));
        }, cancellationToken);

    private async Task UnindexAsync(Func<int, string> shardKey, IReadOnlyCollection<string> mediaIds, CancellationToken cancellationToken)
    {
        foreach (var shard in mediaIds.GroupBy(StateKeys.MediaShardOf))
        {
            var ids = shard.ToHashSet(StringComparer.Ordinal);
            await records.UpdateAsync<MediaIndex>(DaprNames.StateStore, shardKey(shard.Key), index =>
            {
                if (index is null || !index.Items.Any(e => ids.Contains(e.MediaId)))
                {
                    return index;
                }

                var rest = index.Items.RemoveAll(e => ids.Contains(e.MediaId));
                return rest.IsEmpty ? null : new MediaIndex(rest);
            }, cancellationToken);
        }
    }

    /// <summary>A record read back without conversations has an empty list of them (never a default array, which cannot be written).</summary>
    private static MediaRecord Normalized(MediaRecord record) =>
        record.ConversationIds.IsDefault ? record with { ConversationIds = [] } : record;
}
