using System.Threading.Channels;
using Messenger.Core.Events;
using Messenger.Core.Ports;

namespace Messenger.Media.Processing;

/// <summary>
/// The embedded processing queue: uploads wait in memory and one background worker makes their thumbnails. On
/// start it picks up the images still waiting for one (the process stopped before it got to them).
/// </summary>
public sealed class InProcessMediaProcessingQueue(MediaProcessor processor, IMediaStore store, ILogger<InProcessMediaProcessingQueue> logger)
    : BackgroundService, IMediaProcessingQueue
{
    private const int RecoveryBatch = 1000;
    private readonly Channel<MediaUploaded> queue = Channel.CreateUnbounded<MediaUploaded>(new UnboundedChannelOptions { SingleReader = true });

    public Task EnqueueAsync(MediaUploaded uploaded, CancellationToken cancellationToken) =>
        queue.Writer.TryWrite(uploaded) ? Task.CompletedTask : throw new InvalidOperationException("The media processing queue is closed.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var mediaId in await store.ListAwaitingThumbnailAsync(RecoveryBatch, stoppingToken))
        {
            queue.Writer.TryWrite(new MediaUploaded(mediaId, string.Empty, string.Empty));
        }

        await foreach (var uploaded in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await processor.HandleAsync(uploaded, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                MediaLog.ProcessingFailed(logger, uploaded.MediaId, e);
            }
        }
    }

    public override void Dispose()
    {
        queue.Writer.TryComplete();
        base.Dispose();
    }
}
