using Messenger.Core.Events;
using Messenger.Core.Ports;

namespace Messenger.Media.Processing;

/// <summary>
/// On start, publishes <see cref="MediaUploaded"/> again for the ready media that still wait for their processing (an
/// app that stopped between storing an upload and its processing), trying until the store answers. Publishing one
/// twice is harmless: the processor does nothing for media that is no longer pending.
/// </summary>
public sealed class MediaThumbnailBacklog(IMediaStore store, IEventBus bus, TimeProvider time, ILogger<MediaThumbnailBacklog> logger)
    : BackgroundService
{
    private const int Batch = 1000;

    /// <summary>Publishes what is waiting; the number of media published again.</summary>
    public async Task<int> RequeueAsync(CancellationToken cancellationToken)
    {
        var waiting = await store.ListAwaitingThumbnailAsync(Batch, cancellationToken);
        foreach (var mediaId in waiting)
        {
            await bus.PublishAsync(Topics.MediaUploaded, new MediaUploaded(mediaId, string.Empty, string.Empty), cancellationToken);
        }

        if (waiting.Count > 0)
        {
            MediaLog.BacklogRequeued(logger, waiting.Count);
        }

        return waiting.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = StartupRetry.First;
        while (true)
        {
            try
            {
                await RequeueAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                MediaLog.BacklogNotReadYet(logger, e.GetType().Name, delay);
            }

            await Task.Delay(delay, time, stoppingToken);
            delay = StartupRetry.Next(delay);
        }
    }
}
