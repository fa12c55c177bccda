using Messenger.LoadTests.Cli;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary><c>sweep</c>: the <c>pairs</c> traffic at several offered rates over the same users and connections.</summary>
public sealed class SweepScenario : IScenario
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    public int SourceAddresses => 1;

    public async Task<IReadOnlyList<RunResult>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var setup = await PairsSetup.CreateAsync(context, options.Users, cancellationToken);
        var results = new List<RunResult>();
        try
        {
            foreach (var rate in options.Rates)
            {
                var warmupProblems = await Warmup.RunAsync(context, setup.Members, setup.Sink, setup.Slots, rate, 1, cancellationToken);
                var tracker = new DeliveryTracker(setup.Members);
                setup.Sink.Current = tracker;
                var total = (long)(rate * options.DurationSeconds);
                var outcome = await TrafficPhase.RunAsync(
                    context, $"{context.Target.Name} sweep {rate:0}/s", setup.Slots, total, rate, 1, tracker, true, cancellationToken);
                results.Add(ResultFactory.FromPhase(context, ScenarioNames.Sweep, options.Users, rate, options.DurationSeconds, outcome, moreProblems: warmupProblems));
                await Task.Delay(Pause, cancellationToken);
                await IdleWait.UntilQuietAsync(context, cancellationToken);
            }
        }
        finally
        {
            await setup.CloseAsync();
        }

        return results;
    }
}
