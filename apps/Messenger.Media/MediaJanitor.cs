using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Media.Storage;
using Microsoft.Extensions.Options;

namespace Messenger.Media;

/// <summary>
/// Sweeps what uploads leave behind when they never finish: an upload through the app whose process died under it,
/// a direct upload never completed (or rejected) once its URL expired, and the staging blob of a completed direct
/// upload once its URL can no longer write it.
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
        IReadOnlyList<MediaRecord> due;
        do
        {
            due = await store.ListPendingExpiredAsync(time.GetUtcNow(), Batch, cancellationToken);
            foreach (var record in due)
            {
                if (record.Status == MediaStatus.Ready)
                {
                    await blobs.DeleteAsync(BlobNames.Staging(record.MediaId), cancellationToken);
                    await store.ClearPendingAsync(record.MediaId, cancellationToken);
                }
                else
                {
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
            MediaLog.Swept(logger, swept);
        }

        return swept;
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
