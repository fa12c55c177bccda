using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Subscriptions;
using Messenger.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Push;

/// <summary>
/// Turns a <see cref="PushRequested"/> (topic <see cref="Topics.PushRequests"/>) into one push per device of each
/// offline recipient, collapsing bursts and ignoring redeliveries. Register it as a singleton (its state is the
/// collapse windows) and as a hosted service (it says at start when push is off, and stops held pushes at shutdown).
/// </summary>
/// <remarks>
/// <para>Each (recipient, conversation, device token) is one slot of <see cref="CollapseWindows{TKey, TPush}"/>,
/// with W = <see cref="FcmOptions.CollapseWindow"/>: a device gets at most one push per conversation in any W, the
/// first message of a quiet conversation without delay, and the last message of a burst (so the latest text wins)
/// at most W after it was stored. Before a held push is sent, the device is looked up again: one removed or moved
/// to another user in the meantime gets nothing.</para>
/// <para><b>Idempotency</b>: delivery is at least once, so per slot the highest seq handled is remembered (for at
/// least an hour after the last activity); a request whose seq is not above it (the same message again, or an older
/// one arriving after a newer one) produces no push.
/// The state lives in this process; a held push is lost if the process stops before its window ends.</para>
/// </remarks>
public sealed class PushRequestHandler : IEventHandler<PushRequested>, IHostedService, IDisposable
{
    private readonly IDeviceStore devices;
    private readonly IPushSender? sender;
    private readonly ILogger<PushRequestHandler> logger;
    private readonly int parallelism;
    private readonly CollapseWindows<PushSlot, PendingPush> windows;
    private int pushOffLogged;

    /// <param name="sender">Null when push is not configured: requests are then dropped (logged once).</param>
    public PushRequestHandler(
        IDeviceStore devices,
        IOptions<FcmOptions> options,
        TimeProvider time,
        ILogger<PushRequestHandler> logger,
        IPushSender? sender = null)
    {
        this.devices = devices;
        this.sender = sender;
        this.logger = logger;
        parallelism = Math.Max(1, options.Value.MaxConcurrentSends);
        windows = new CollapseWindows<PushSlot, PendingPush>(
            options.Value.CollapseWindow,
            time,
            (_, held, cancellationToken) => SendHeldAsync(held, cancellationToken),
            (slot, exception) => PushLog.HeldPushFailed(logger, slot.ConversationId, exception));
    }

    /// <summary>True when there is an <see cref="IPushSender"/>; false when push is off.</summary>
    public bool IsEnabled => sender is not null;

    public async Task HandleAsync(PushRequested request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (sender is null)
        {
            LogPushOffOnce();
            return;
        }

        if (Problem(request) is { } problem)
        {
            PushLog.RequestInvalid(logger, request.MessageId ?? "", problem);
            return;
        }

        var title = PushContent.Title(request);
        var body = PushContent.Body(request);
        var data = PushContent.Data(request);
        var recipients = request.UserIds
            .Where(userId => !string.IsNullOrEmpty(userId) && userId != request.SenderId)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(recipients, parallel, async (userId, token) =>
        {
            var registered = await devices.ListAsync(userId, token);
            foreach (var device in registered)
            {
                var notification = new PushNotification(device.Token, device.Platform, title, body, data, request.ConversationId);
                var push = new PendingPush(userId, request.MessageId, notification);
                var slot = new PushSlot(userId, request.ConversationId, device.Token);
                switch (windows.Offer(slot, request.Seq, push))
                {
                    case CollapseDecision.SendNow:
                        await SendAsync(push, token);
                        break;
                    case CollapseDecision.Held:
                        if (logger.IsEnabled(LogLevel.Debug))
                        {
                            var fingerprint = DeviceFingerprint.Of(device.Token);
                            PushLog.PushHeld(logger, request.MessageId, fingerprint, request.ConversationId);
                        }
                        break;
                    default:
                        if (logger.IsEnabled(LogLevel.Debug))
                        {
                            var fingerprint = DeviceFingerprint.Of(device.Token);
                            PushLog.PushDuplicate(logger, request.MessageId, request.Seq, fingerprint);
                        }
                        break;
                }
            }
        });
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (sender is null)
        {
            LogPushOffOnce();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        windows.Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => windows.Dispose();

    private void LogPushOffOnce()
    {
        if (Interlocked.Exchange(ref pushOffLogged, 1) == 0)
        {
            PushLog.PushOff(logger);
        }
    }

    private static string? Problem(PushRequested request)
    {
        if (string.IsNullOrEmpty(request.MessageId) || string.IsNullOrEmpty(request.ConversationId))
        {
            return "it names no message or conversation";
        }

        if (request.Seq <= 0)
        {
            return "its seq is not positive";
        }

        return request.UserIds is null ? "it names no users" : null;
    }

    private async Task SendHeldAsync(PendingPush held, CancellationToken cancellationToken)
    {
        var registered = await devices.ListAsync(held.UserId, cancellationToken);
        var device = registered.FirstOrDefault(d => d.Token == held.Notification.DeviceToken);
        if (device is null)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var fingerprint = DeviceFingerprint.Of(held.Notification.DeviceToken);
                PushLog.HeldPushDeviceGone(logger, held.MessageId, fingerprint, held.UserId);
            }

            return;
        }

        await SendAsync(held with { Notification = held.Notification with { Platform = device.Platform } }, cancellationToken);
    }

    private async Task SendAsync(PendingPush push, CancellationToken cancellationToken)
    {
        var token = push.Notification.DeviceToken;
        var result = await sender!.SendAsync(push.Notification, cancellationToken);
        switch (result)
        {
            case PushResult.Sent:
                MessengerTelemetry.Pushes.Add(1, MessengerTelemetry.PushSent);
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var fingerprint = DeviceFingerprint.Of(token);
                    PushLog.PushSent(logger, push.MessageId, fingerprint);
                }
                break;
            case PushResult.TokenInvalid:
                MessengerTelemetry.Pushes.Add(1, MessengerTelemetry.PushPruned);
                await devices.PruneAsync(token, cancellationToken);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var fingerprint = DeviceFingerprint.Of(token);
                    PushLog.DevicePruned(logger, fingerprint, push.UserId);
                }
                break;
            default:
                MessengerTelemetry.Pushes.Add(1, MessengerTelemetry.PushFailed);
                // The sender logged why; the device is kept and the next message tries again.
                break;
        }
    }

    /// <summary>One collapse slot: a device of a recipient, for one conversation.</summary>
    private readonly record struct PushSlot(string UserId, string ConversationId, string DeviceToken);

    private sealed record PendingPush(string UserId, string MessageId, PushNotification Notification);
}
