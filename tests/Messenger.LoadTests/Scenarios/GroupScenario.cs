using Messenger.LoadTests.Cli;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Protocol;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary><c>group</c>: one group of G members, S of them sending at a total rate R; every member receives.</summary>
public sealed class GroupScenario : IScenario
{
    private const int ReceiveBufferSize = 8 * 1024;

    public int SourceAddresses => 1;

    public async Task<IReadOnlyList<RunResult>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var users = await ScenarioSetup.RegisterAsync(context, options.Users, cancellationToken);
        var ids = await ScenarioSetup.CreateConversationsAsync(
            context, [(users[0], users[1..], ConversationTypes.Group)], cancellationToken);
        var members = new Dictionary<string, Client.LoadUser[]>(StringComparer.Ordinal) { [ids[0]] = users };
        var sink = new SwitchableSink(new DeliveryTracker(members));
        var connections = await ScenarioSetup.ConnectAsync(context, users, sink, ReceiveBufferSize, cancellationToken);
        try
        {
            var slots = connections.Take(options.Senders).Select(c => new SenderSlot(c!, ids[0])).ToArray();
            var warmupProblems = await Warmup.RunAsync(context, members, sink, slots, options.Rate, options.Users - 1, cancellationToken);
            var tracker = new DeliveryTracker(members);
            sink.Current = tracker;
            var total = (long)(options.Rate * options.DurationSeconds);
            var outcome = await TrafficPhase.RunAsync(
                context, $"{context.Target.Name} group", slots, total, options.Rate, options.Users - 1, tracker, true, cancellationToken);
            var extras = new Dictionary<string, double> { ["members"] = options.Users, ["senders"] = options.Senders };
            return [ResultFactory.FromPhase(context, ScenarioNames.Group, options.Users, options.Rate, options.DurationSeconds, outcome, extras, moreProblems: warmupProblems)];
        }
        finally
        {
            await ScenarioSetup.CloseAllAsync(connections);
        }
    }
}
