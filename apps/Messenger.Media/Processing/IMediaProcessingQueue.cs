using Messenger.Core.Events;

namespace Messenger.Media.Processing;

/// <summary>
/// Where a stored upload goes to get its thumbnail, off the request path: an in-process background queue in
/// embedded mode; in Dapr mode a publish of <see cref="MediaUploaded"/> whose subscriber calls <see cref="MediaProcessor"/>.
/// </summary>
public interface IMediaProcessingQueue
{
    Task EnqueueAsync(MediaUploaded uploaded, CancellationToken cancellationToken);
}
