using Messenger.LoadTests.Client;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Scenarios;

/// <summary>U users in U/2 direct conversations, all connected; shared by <c>pairs</c> and <c>sweep</c>.</summary>
public sealed class PairsSetup
{
    private const int ReceiveBufferSize = 8 * 1024;

    private PairsSetup(LoadUser[] users, Dictionary<string, LoadUser[]> members, SenderSlot[] slots, UserConnection[] connections, SwitchableSink sink)
    {
        Users = users;
        Members = members;
        Slots = slots;
        Connections = connections;
        Sink = sink;
    }

    public LoadUser[] Users { get; }

    public Dictionary<string, LoadUser[]> Members { get; }

    public SenderSlot[] Slots { get; }

    public UserConnection[] Connections { get; }

    public SwitchableSink Sink { get; }

    public static async Task<PairsSetup> CreateAsync(ScenarioContext context, int userCount, CancellationToken cancellationToken)
    {
        var users = await ScenarioSetup.RegisterAsync(context, userCount, cancellationToken);
        var requests = Enumerable.Range(0, userCount / 2)
            .Select(pair => (users[2 * pair], new[] { users[(2 * pair) + 1] }, ConversationTypes.Direct))
            .ToArray();
        var ids = await ScenarioSetup.CreateConversationsAsync(context, requests, cancellationToken);
        var members = new Dictionary<string, LoadUser[]>(StringComparer.Ordinal);
        for (var pair = 0; pair < ids.Length; pair++)
        {
            members[ids[pair]] = [users[2 * pair], users[(2 * pair) + 1]];
        }

        var sink = new SwitchableSink(new DeliveryTracker(members));
        var connections = (await ScenarioSetup.ConnectAsync(context, users, sink, ReceiveBufferSize, cancellationToken)).Select(c => c!).ToArray();
        var slots = connections.Select((connection, index) => new SenderSlot(connection, ids[index / 2])).ToArray();
        return new PairsSetup(users, members, slots, connections, sink);
    }

    public Task CloseAsync() => ScenarioSetup.CloseAllAsync(Connections);
}
