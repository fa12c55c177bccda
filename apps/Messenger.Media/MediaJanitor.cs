using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;

namespace Messenger.Media;

/// <summary>
/// Sweeps what uploads leave behind: an upload through the app whose process died under it, a direct upload never
/// completed (or rejected) once its URL expired, the staging blob of a completed direct upload once its URL can no
/// longer write it, and media that no message carried within <see cref="MediaOptions.UnsentLifetime"/> of its upload
/// (original and thumbnail). All of them give their bytes back to their owner's quota. A ready media's
/// <see cref="MediaRecord.PendingUntil"/> is when it is looked at: then it is deleted only if still unsent, in one
/// step with that check (<see cref="IMediaStore.DeleteUnsentAsync"/>), so that media a message carries is never
/// deleted by the sweep; a send is recorded on the media before its message is stored, and one recorded after the
/// sweep deleted it fails.
/// </summary>
public sealed class MediaJanitor(
    IMediaStore store, IBlobStore blobs, IOptions<MediaOptions> options, TimeProvider time, ILogger<MediaJanitor> logger)
    : BackgroundService
{
    private const int Batch = 100;

    /// <summary>One sweep; the number of uploads it dealt with.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var swept = 0;
        var unsent = 0;
        var now = time.GetUtcNow();
        IReadOnlyList<MediaRecord> due;
        do
        {
            due = await store.ListPendingExpiredAsync(now, Batch, cancellationToken);
            foreach (var record in due)
            {
                if (record.Status == MediaStatus.Ready)
                {
                    unsent += await SweepReadyAsync(record, now, cancellationToken) ? 1 : 0;
                }
                else
                {
                    // An upload that never completed, or a media whose last message was deleted (released).
                    foreach (var name in BlobNames.All(record.MediaId))
                    {
                        await blobs.DeleteAsync(name, cancellationToken);
                    }

                    await store.DeleteAsync(record.MediaId, cancellationToken);
                }

                swept++;
            }
        }
        while (due.Count == Batch);

        if (swept > 0)
        {
            MediaLog.Swept(logger, swept, unsent);
        }

        return swept;
    }

    /// <summary>
    /// A ready media whose time has come: a direct upload's staging blob goes; then, once the unsent lifetime is over,
    /// the media goes if no message carries it, else it is no longer looked at. True when it was deleted unsent.
    /// </summary>
    private async Task<bool> SweepReadyAsync(MediaRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await blobs.DeleteAsync(BlobNames.Staging(record.MediaId), cancellationToken);
        var unsentUntil = record.CreatedAt + options.Value.UnsentLifetime;
        if (unsentUntil > now)
        {
            await store.SetPendingAsync(record.MediaId, unsentUntil, cancellationToken);
            return false;
        }

        if (!await store.DeleteUnsentAsync(record.MediaId, cancellationToken))
        {
            await store.ClearPendingAsync(record.MediaId, cancellationToken);
            return false;
        }

        // The record went first, in one step with the check that no message carries it; then its blobs.
        foreach (var name in BlobNames.All(record.MediaId))
        {
            await blobs.DeleteAsync(name, cancellationToken);
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                MediaLog.SweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
