using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>Several members sending into one group at once, each watching what comes back on its own connection.</summary>
public sealed class ConcurrentSendTests
{
    private const int PerSender = 400;

    [Fact]
    public async Task A_sending_connection_never_gets_its_own_message_back_as_a_message_frame()
    {
        await using var server = await StandaloneServer.StartAsync(settings: ["--Messenger:RateLimits:Enabled", "false"]);
        var members = new List<TestUser>();
        for (var i = 0; i < 4; i++)
        {
            members.Add(await server.Api.RegisterAsync(prefix: "echo"));
        }

        // A member who is offline makes every send ask for a push too, which widens the window of the race.
        var away = await server.Api.RegisterAsync(prefix: "away");
        var group = await server.Api.ConversationAsync(members[0], "group", [.. members.Skip(1), away]);
        var log = new DeliveryLog();
        var clients = new List<WsClient>();
        try
        {
            for (var i = 0; i < members.Count; i++)
            {
                clients.Add(await WsClient.ConnectAsync(server.BaseAddress, members[i].Token, log.For(i)));
            }

            await Task.WhenAll(clients.Select(async (client, index) =>
            {
                // A steady pace, as people in a busy group send: bursts get committed and fanned out in batches instead.
                for (var i = 0; i < PerSender; i++)
                {
                    await client.SendAsync(new { type = "send", conversationId = group, clientMessageId = $"echo-{index}-{i}", text = DeliveryLog.Text("echo", "x") });
                    await Task.Delay(5);
                }
            }));
            await Eventually.HoldsAsync(
                () => Enumerable.Range(0, clients.Count).All(r => log.Of("echo", r).Count(d => !d.ClientId.StartsWith($"echo-{r}-", StringComparison.Ordinal)) >= 3 * PerSender),
                "every member got the others' messages", TimeSpan.FromSeconds(60));

            for (var r = 0; r < clients.Count; r++)
            {
                var own = log.Of("echo", r).Where(d => d.ClientId.StartsWith($"echo-{r}-", StringComparison.Ordinal)).Select(d => $"{d.ClientId}#{d.Seq}").ToList();
                Assert.True(own.Count == 0, $"member {r} got its own messages back as message frames: {string.Join(", ", own)}");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
