using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Subscriptions;
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
/// <para><b>Collapse rule</b>, per (recipient, conversation, device token), with W = <see cref="FcmOptions.CollapseWindow"/>:</para>
/// <list type="number">
/// <item>When no window is open, the push is sent at once and a window of length W opens.</item>
/// <item>While a window is open, a push is not sent but held; a later one replaces the held one (only the latest
/// message of the burst is kept, so the latest text wins).</item>
/// <item>When a window ends: if a push is held, it is sent then and a new window of length W opens at that moment;
/// if none is held, the window closes and the next push goes out at once again.</item>
/// </list>
/// <para>So a device gets at most one push per conversation in any W, the first message of a quiet conversation
/// without delay, and the last message of a burst at most W after it was stored. Before a held push is sent, the
/// device is looked up again: one removed or moved to another user in the meantime gets nothing.</para>
/// <para><b>Idempotency</b>: delivery is at least once, so per (recipient, conversation, device token) the highest
/// seq handled is remembered (for at least an hour after the last activity); a request whose seq is not above it
/// (the same message again, or an older one arriving after a newer one) produces no push.
/// The state lives in this process; a held push is lost if the process stops before its window ends.</para>
/// </remarks>
public sealed class PushRequestHandler : IEventHandler<PushRequested>, IHostedService, IDisposable
{
    /// <summary>How long the highest handled seq of an idle slot is kept to recognise redeliveries.</summary>
    internal static readonly TimeSpan DedupeRetention = TimeSpan.FromHours(1);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly IDeviceStore _devices;
    private readonly IPushSender? _sender;
    private readonly TimeProvider _time;
    private readonly ILogger<PushRequestHandler> _logger;
    private readonly TimeSpan _window;
    private readonly int _parallelism;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<SlotKey, Slot> _slots = [];
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;
    private int _pushOffLogged;

    /// <param name="sender">Null when push is not configured: requests are then dropped (logged once).</param>
    public PushRequestHandler(
        IDeviceStore devices,
        IOptions<FcmOptions> options,
        TimeProvider time,
        ILogger<PushRequestHandler> logger,
        IPushSender? sender = null)
    {
        _devices = devices;
        _sender = sender;
        _time = time;
        _logger = logger;
        _window = options.Value.CollapseWindow;
        _parallelism = Math.Max(1, options.Value.MaxConcurrentSends);
    }

    /// <summary>True when there is an <see cref="IPushSender"/>; false when push is off.</summary>
    public bool IsEnabled => _sender is not null;

    public async Task HandleAsync(PushRequested request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_sender is null)
        {
            LogPushOffOnce();
            return;
        }

        if (Problem(request) is { } problem)
        {
            PushLog.RequestInvalid(_logger, request.MessageId ?? "", problem);
            return;
        }

        var title = PushContent.Title(request);
        var body = PushContent.Body(request);
        var data = PushContent.Data(request);
        var recipients = request.UserIds
            .Where(userId => !string.IsNullOrEmpty(userId) && userId != request.SenderId)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(recipients, parallel, async (userId, token) =>
        {
            var devices = await _devices.ListAsync(userId, token).ConfigureAwait(false);
            foreach (var device in devices)
            {
                var notification = new PushNotification(device.Token, device.Platform, title, body, data, request.ConversationId);
                var push = new PendingPush(userId, request.MessageId, request.Seq, notification);
                var key = new SlotKey(userId, request.ConversationId, device.Token);
                switch (Offer(key, push))
                {
                    case Decision.SendNow:
                        await SendAsync(push, token).ConfigureAwait(false);
                        break;
                    case Decision.Held:
                        PushLog.PushHeld(_logger, request.MessageId, DeviceFingerprint.Of(device.Token), request.ConversationId);
                        break;
                    default:
                        PushLog.PushDuplicate(_logger, request.MessageId, request.Seq, DeviceFingerprint.Of(device.Token));
                        break;
                }
            }
        }).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_sender is null)
        {
            LogPushOffOnce();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Cancel();

    private void LogPushOffOnce()
    {
        if (Interlocked.Exchange(ref _pushOffLogged, 1) == 0)
        {
            PushLog.PushOff(_logger);
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

    /// <summary>Applies the dedupe and collapse rules (see the class remarks) to one push for one device.</summary>
    private Decision Offer(SlotKey key, PendingPush push)
    {
        bool openWindow;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            SweepIfDue(now);
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new Slot();
                _slots[key] = slot;
            }

            if (push.Seq <= slot.LastSeq)
            {
                return Decision.Duplicate;
            }

            slot.LastSeq = push.Seq;
            slot.LastActivity = now;
            if (_window <= TimeSpan.Zero)
            {
                return Decision.SendNow;
            }

            if (slot.WindowOpen)
            {
                slot.Held = push;
                return Decision.Held;
            }

            slot.WindowOpen = true;
            openWindow = true;
        }

        if (openWindow)
        {
            _ = CloseWindowsAsync(key);
        }

        return Decision.SendNow;
    }

    /// <summary>Ends the windows of one slot, one after the other, while each ends with a held push.</summary>
    private async Task CloseWindowsAsync(SlotKey key)
    {
        var stopping = _stopping.Token;
        while (true)
        {
            try
            {
                await Task.Delay(_window, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            PendingPush? held;
            lock (_lock)
            {
                if (!_slots.TryGetValue(key, out var slot))
                {
                    return;
                }

                held = slot.Held;
                slot.Held = null;
                slot.LastActivity = _time.GetUtcNow();
                if (held is null)
                {
                    slot.WindowOpen = false;
                    return;
                }
            }

            try
            {
                await SendHeldAsync(held, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PushLog.HeldPushFailed(_logger, key.ConversationId, ex);
            }
        }
    }

    private async Task SendHeldAsync(PendingPush held, CancellationToken cancellationToken)
    {
        var devices = await _devices.ListAsync(held.UserId, cancellationToken).ConfigureAwait(false);
        var device = devices.FirstOrDefault(d => d.Token == held.Notification.DeviceToken);
        if (device is null)
        {
            PushLog.HeldPushDeviceGone(_logger, held.MessageId, DeviceFingerprint.Of(held.Notification.DeviceToken), held.UserId);
            return;
        }

        await SendAsync(held with { Notification = held.Notification with { Platform = device.Platform } }, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task SendAsync(PendingPush push, CancellationToken cancellationToken)
    {
        var token = push.Notification.DeviceToken;
        var result = await _sender!.SendAsync(push.Notification, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case PushResult.Sent:
                PushLog.PushSent(_logger, push.MessageId, DeviceFingerprint.Of(token));
                break;
            case PushResult.TokenInvalid:
                await _devices.PruneAsync(token, cancellationToken).ConfigureAwait(false);
                PushLog.DevicePruned(_logger, DeviceFingerprint.Of(token), push.UserId);
                break;
            default:
                // The sender logged why; the device is kept and the next message tries again.
                break;
        }
    }

    /// <summary>Forgets idle slots whose dedupe memory has expired, at most once a minute.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + SweepInterval;
        List<SlotKey>? expired = null;
        foreach (var (key, slot) in _slots)
        {
            if (!slot.WindowOpen && now - slot.LastActivity > DedupeRetention)
            {
                (expired ??= []).Add(key);
            }
        }

        expired?.ForEach(key => _slots.Remove(key));
    }

    private enum Decision
    {
        SendNow,
        Held,
        Duplicate,
    }

    private readonly record struct SlotKey(string UserId, string ConversationId, string DeviceToken);

    private sealed record PendingPush(string UserId, string MessageId, long Seq, PushNotification Notification);

    private sealed class Slot
    {
        public long LastSeq { get; set; }
        public DateTimeOffset LastActivity { get; set; }
        public bool WindowOpen { get; set; }
        public PendingPush? Held { get; set; }
    }
}
