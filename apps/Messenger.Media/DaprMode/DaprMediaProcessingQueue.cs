using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Media.Processing;

namespace Messenger.Media.DaprMode;

/// <summary>
/// Dapr mode's processing queue: publishes <see cref="MediaUploaded"/> on the <c>media-uploaded</c> topic of the
/// <c>pubsub</c> component (the app's <see cref="IEventBus"/> is the Dapr one). The media app subscribes to it and
/// hands each event to <see cref="MediaProcessor"/>, whichever replica gets it; a redelivery does nothing.
/// </summary>
public sealed class DaprMediaProcessingQueue(IEventBus bus) : IMediaProcessingQueue
{
    public Task EnqueueAsync(MediaUploaded uploaded, CancellationToken cancellationToken) =>
        bus.PublishAsync(Topics.MediaUploaded, uploaded, cancellationToken);
}
