using Messenger.LoadTests.Cli;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary><c>pairs</c>: U users in direct conversations, a total send rate R for D seconds.</summary>
public sealed class PairsScenario : IScenario
{
    public int SourceAddresses => 1;

    public async Task<IReadOnlyList<RunResult>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var setup = await PairsSetup.CreateAsync(context, options.Users, cancellationToken);
        try
        {
            var warmupProblems = await Warmup.RunAsync(context, setup.Members, setup.Sink, setup.Slots, options.Rate, 1, cancellationToken);
            var tracker = new DeliveryTracker(setup.Members);
            setup.Sink.Current = tracker;
            var total = (long)(options.Rate * options.DurationSeconds);
            var outcome = await TrafficPhase.RunAsync(
                context, $"{context.Target.Name} pairs", setup.Slots, total, options.Rate, 1, tracker, true, cancellationToken);
            return [ResultFactory.FromPhase(context, ScenarioNames.Pairs, options.Users, options.Rate, options.DurationSeconds, outcome, moreProblems: warmupProblems)];
        }
        finally
        {
            await setup.CloseAsync();
        }
    }
}
