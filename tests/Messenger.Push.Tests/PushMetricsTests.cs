using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Push.Tests;

/// <summary>
/// messenger.push.notifications counts each push by its outcome. The meter is shared by the whole process, so this
/// class runs alone (its collection is not run beside any other).
/// </summary>
[Collection(PushMetricsCollection.Name)]
public sealed class PushMetricsTests : IDisposable
{
    private readonly ConcurrentDictionary<string, long> byResult = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();

    public PushMetricsTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MessengerTelemetry.Name && instrument.Name == MessengerTelemetry.PushName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == MessengerTelemetry.ResultAttribute)
                {
                    byResult.AddOrUpdate((string)tag.Value!, value, (_, total) => total + value);
                }
            }
        });
        listener.Start();
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task Each_push_is_counted_as_sent_failed_or_pruned()
    {
        var devices = new Mock<IDeviceStore>();
        var now = DateTimeOffset.UnixEpoch;
        devices.Setup(d => d.ListAsync("u_bob", It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Device("ok-phone", "u_bob", DevicePlatform.Android, now),
            new Device("gone-phone", "u_bob", DevicePlatform.Android, now),
            new Device("down-phone", "u_bob", DevicePlatform.Ios, now),
        ]);
        var sender = new Mock<IPushSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<PushNotification>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PushNotification n, CancellationToken _) => n.DeviceToken switch
            {
                "ok-phone" => PushResult.Sent,
                "gone-phone" => PushResult.TokenInvalid,
                _ => PushResult.Failed,
            });
        using var handler = new PushRequestHandler(
            devices.Object, Options.Create(new FcmOptions()), TimeProvider.System, NullLogger<PushRequestHandler>.Instance, sender.Object);

        await handler.HandleAsync(
            new PushRequested(["u_bob"], "c_1", ConversationType.Direct, null, "u_alice", "Alice", "m_1", 1, "hi", null), CancellationToken.None);

        Assert.Equal(1, byResult.GetValueOrDefault("sent"));
        Assert.Equal(1, byResult.GetValueOrDefault("pruned"));
        Assert.Equal(1, byResult.GetValueOrDefault("failed"));
    }
}
