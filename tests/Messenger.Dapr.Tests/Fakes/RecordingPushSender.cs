using System.Collections.Concurrent;
using Messenger.Core.Domain;
using Messenger.Core.Ports;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>A push provider that accepts everything and remembers what it was asked to send.</summary>
internal sealed class RecordingPushSender : IPushSender
{
    public ConcurrentQueue<PushNotification> Sent { get; } = new();

    public Task<PushResult> SendAsync(PushNotification notification, CancellationToken cancellationToken)
    {
        Sent.Enqueue(notification);
        return Task.FromResult(PushResult.Sent);
    }
}
