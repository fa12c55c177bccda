using Messenger.LoadTests.Client;
using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// Unmeasured traffic at the measured rate before a measured phase, so JIT tiering, thread pool growth and caches
/// are settled; anything it loses is still reported.
/// </summary>
public static class Warmup
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<string>> RunAsync(
        ScenarioContext context, IReadOnlyDictionary<string, LoadUser[]> members, SwitchableSink sink,
        IReadOnlyList<SenderSlot> slots, double rate, int recipientsPerMessage, CancellationToken cancellationToken)
    {
        var total = (long)(rate * context.Options.WarmupSeconds);
        if (total == 0)
        {
            return [];
        }

        await IdleWait.UntilQuietAsync(context, cancellationToken);
        var tracker = new DeliveryTracker(members);
        sink.Current = tracker;
        var outcome = await TrafficPhase.RunAsync(
            context, $"{context.Target.Name} warm-up", slots, total, rate, recipientsPerMessage, tracker, true, cancellationToken);
        await Task.Delay(Pause, cancellationToken);
        await IdleWait.UntilQuietAsync(context, cancellationToken);
        var result = ResultFactory.FromPhase(context, "warmup", 0, rate, context.Options.WarmupSeconds, outcome);
        return result.Problems.Select(p => $"warm-up: {p}").ToArray();
    }
}
