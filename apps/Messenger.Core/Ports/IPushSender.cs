using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>Sends one notification to one device (FCM HTTP v1 in production).</summary>
public interface IPushSender
{
    Task<PushResult> SendAsync(PushNotification notification, CancellationToken cancellationToken);
}
