using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Media.Processing;

namespace Messenger.Media.DaprMode;

/// <summary>
/// On start, asks again for the thumbnails of ready images that still lack one (an app that stopped between storing
/// an upload and publishing its event), once the sidecar answers. Publishing one twice is harmless: the processor
/// does nothing for an image whose thumbnail is no longer pending.
/// </summary>
public sealed class MediaThumbnailBacklog(IMediaStore store, IMediaProcessingQueue queue, TimeProvider time, ILogger<MediaThumbnailBacklog> logger)
    : BackgroundService
{
    private const int Batch = 1000;

    /// <summary>Requeues what is waiting; the number of images requeued.</summary>
    public async Task<int> RequeueAsync(CancellationToken cancellationToken)
    {
        var waiting = await store.ListAwaitingThumbnailAsync(Batch, cancellationToken);
        foreach (var mediaId in waiting)
        {
            await queue.EnqueueAsync(new MediaUploaded(mediaId, string.Empty, string.Empty), cancellationToken);
        }

        if (waiting.Count > 0)
        {
            MediaDaprLog.BacklogRequeued(logger, waiting.Count);
        }

        return waiting.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = SidecarRetry.First;
        while (true)
        {
            try
            {
                await RequeueAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                MediaDaprLog.BacklogNotReadYet(logger, e.GetType().Name, delay);
            }

            await Task.Delay(delay, time, stoppingToken);
            delay = SidecarRetry.Next(delay);
        }
    }
}
