using System.Diagnostics;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Protocol;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// Sends <c>total</c> messages round robin over the sender slots at a fixed offered rate (open loop: the schedule
/// does not wait for the server), then waits for the acks and deliveries to come in, up to the drain time; with
/// <c>drainWhileArriving</c> the drain time counts from the last ack or delivery instead (a phase that must settle,
/// not be measured, on a machine slower than the rate).
/// </summary>
public static class TrafficPhase
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(50);

    public static async Task<PhaseOutcome> RunAsync(
        ScenarioContext context,
        string title,
        IReadOnlyList<SenderSlot> slots,
        long total,
        double rate,
        int recipientsPerMessage,
        DeliveryTracker tracker,
        bool waitForDeliveries,
        CancellationToken cancellationToken,
        bool freezeAtEnd = true,
        bool drainWhileArriving = false)
    {
        var measurement = await Measurement.StartAsync(context, cancellationToken);
        var startedAt = Stopwatch.GetTimestamp();
        ProgressItem[] items =
        [
            new("sent", () => tracker.Sent, () => total),
            new("acked", () => tracker.Acked, () => total),
            new("delivered", () => tracker.Delivered, () => waitForDeliveries ? total * (double)recipientsPerMessage : 0),
        ];
        await LiveProgress.RunAsync(title, waitForDeliveries ? items : items[..2], async () =>
        {
            await SendAsync(context, slots, total, rate, startedAt, tracker, cancellationToken);
            await DrainAsync(context, tracker, waitForDeliveries, drainWhileArriving, cancellationToken);
            return 0;
        });
        if (freezeAtEnd)
        {
            tracker.Freeze();
        }

        var usage = await measurement.FinishAsync();
        return new PhaseOutcome(tracker, tracker.Check(), startedAt, usage);
    }

    private static async Task SendAsync(
        ScenarioContext context, IReadOnlyList<SenderSlot> slots, long total, double rate, long startedAt,
        DeliveryTracker tracker, CancellationToken cancellationToken)
    {
        var ticksPerMessage = Stopwatch.Frequency / rate;
        var textLength = context.Options.TextLength;
        long next = 0;
        while (next < total)
        {
            var elapsed = Stopwatch.GetTimestamp() - startedAt;
            var due = Math.Min(total, (long)(elapsed / ticksPerMessage) + 1);
            for (; next < due; next++)
            {
                var slot = slots[(int)(next % slots.Count)];
                var intended = startedAt + (long)(next * ticksPerMessage);
                var user = slot.Connection.User;
                tracker.CountSent();
                slot.Connection.EnqueueMessage(
                    slot.ConversationId,
                    LatencyStamp.ClientMessageId(user.Index, next, intended),
                    LatencyStamp.Text(intended, textLength));
            }

            await Task.Delay(Tick, cancellationToken);
        }
    }

    private static async Task DrainAsync(
        ScenarioContext context, DeliveryTracker tracker, bool waitForDeliveries, bool whileArriving, CancellationToken cancellationToken)
    {
        var drainTicks = (long)(context.Options.DrainSeconds * Stopwatch.Frequency);
        var deadline = Stopwatch.GetTimestamp() + drainTicks;
        var arrived = tracker.Acked + tracker.Delivered;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var acked = tracker.Acked >= tracker.Sent;
            var delivered = !waitForDeliveries || tracker.Delivered >= tracker.Expected;
            if (acked && delivered)
            {
                return;
            }

            if (whileArriving && tracker.Acked + tracker.Delivered is var now && now != arrived)
            {
                arrived = now;
                deadline = Stopwatch.GetTimestamp() + drainTicks;
            }

            await Task.Delay(DrainPoll, cancellationToken);
        }
    }
}
