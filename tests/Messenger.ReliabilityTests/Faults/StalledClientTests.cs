using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Messenger.Gateway.Connections;
using Messenger.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>
/// A member of a busy group whose client reads nothing: the gateway must cut it off, and the other members'
/// deliveries must not wait for it.
/// </summary>
public sealed class StalledClientTests(ITestOutputHelper output)
{
    private const int Senders = 4;
    private const int Interval = 10;
    private const int PerSender = 400;
    private static readonly string Padding = new('x', 4000);

    private static readonly string[] Settings =
    [
        "--Messenger:RateLimits:Enabled", "false",
        // Small enough that the stalled client overflows it at once, big enough that a healthy reader on a busy machine never does.
        "--Messenger:Gateway:OutboundQueueCapacity", "128",
        "--Messenger:Gateway:SendTimeout", "00:00:01",
    ];

    [Fact]
    public async Task A_stalled_client_is_cut_off_and_the_other_members_p99_latency_stays_comparable()
    {
        await using var server = await StandaloneServer.StartAsync(settings: Settings);
        var members = new List<TestUser>();
        for (var i = 0; i < Senders; i++)
        {
            members.Add(await server.Api.RegisterAsync(prefix: "busy"));
        }

        var frozen = await server.Api.RegisterAsync(prefix: "frozen");
        var group = await server.Api.ConversationAsync(members[0], "group", [.. members.Skip(1), frozen]);
        var log = new DeliveryLog();
        var clients = new List<WsClient>();
        try
        {
            for (var i = 0; i < members.Count; i++)
            {
                clients.Add(await WsClient.ConnectAsync(server.BaseAddress, members[i].Token, log.For(i)));
            }

            await RunPhaseAsync("warmup", 40, group, clients, log);
            var without = await RunPhaseAsync("without", PerSender, group, clients, log);

            using var stalled = await StalledClient.ConnectAsync(server.BaseAddress, frozen.Token);
            var registry = server.Get<ConnectionRegistry>();
            Assert.Single(registry.Of(frozen.UserId));
            var phaseStart = Stopwatch.StartNew();
            var cutOff = WatchCutOffAsync(registry, frozen.UserId, phaseStart);
            var with = await RunPhaseAsync("with", PerSender, group, clients, log);
            var phaseTook = phaseStart.ElapsedMilliseconds;
            var cutAfter = await cutOff;
            output.WriteLine($"phase with the stalled client took {phaseTook} ms; it was cut off after {cutAfter} ms");

            // The stall (its socket full, its writer blocked, then the cut) fell inside the measured phase.
            Assert.True(cutAfter < phaseTook, $"the stalled client was cut off after {cutAfter} ms, after the {phaseTook} ms phase: the phase measured no stall");

            // Cut off: gone from the gateway, and its socket ends (with 1013 if the close frame got through at all).
            await Eventually.HoldsAsync(() => registry.Of(frozen.UserId).Length == 0, "the stalled connection is dropped", TimeSpan.FromSeconds(15));
            var (ended, closeStatus) = await stalled.DrainAsync(TimeSpan.FromSeconds(10));
            Assert.True(ended, "the stalled client's socket is still open after the gateway dropped it");
            Assert.True(closeStatus is null or 1013, $"closed with {closeStatus}, not 1013");
            output.WriteLine($"stalled client: close status {closeStatus?.ToString(CultureInfo.InvariantCulture) ?? "none (dropped)"}");

            // The baseline is measured before and after, so that a hiccup of a busy machine in one phase is not taken for the stall's doing.
            var withoutAgain = await RunPhaseAsync("without-again", PerSender, group, clients, log);
            var baseline = Math.Max(without, withoutAgain);
            output.WriteLine($"p99 without the stalled client: {without:0.0} and {withoutAgain:0.0} ms; with it: {with:0.0} ms");
            Assert.True(with < 3 * baseline + 50, $"p99 with a stalled member {with:0.0} ms against {baseline:0.0} ms without");
            Assert.All(clients, c => Assert.Equal(WebSocketState.Open, c.State));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Every member sends <paramref name="perSender"/> messages at a steady pace; each other member must get each of
    /// them exactly once. Returns the p99 of all those deliveries, in ms.
    /// </summary>
    private async Task<double> RunPhaseAsync(string phase, int perSender, string group, List<WsClient> clients, DeliveryLog log)
    {
        var sending = clients.Select(async (client, index) =>
        {
            for (var i = 0; i < perSender; i++)
            {
                await client.SendAsync(new { type = "send", conversationId = group, clientMessageId = $"{phase}-{index}-{i}", text = DeliveryLog.Text(phase, Padding) });
                await Task.Delay(Interval);
            }
        });
        await Task.WhenAll(sending);

        var expected = Enumerable.Range(0, clients.Count)
            .Select(r => Enumerable.Range(0, clients.Count).Where(s => s != r).SelectMany(s => Enumerable.Range(0, perSender).Select(i => $"{phase}-{s}-{i}")).ToHashSet())
            .ToList();
        bool Complete() => Enumerable.Range(0, clients.Count).All(r => expected[r].IsSubsetOf(log.Of(phase, r).Select(d => d.ClientId)));
        string Missing() => string.Join("; ", Enumerable.Range(0, clients.Count).Select(r =>
            $"receiver {r} lacks {expected[r].Except(log.Of(phase, r).Select(d => d.ClientId)).Count()}: " +
            string.Join(",", expected[r].Except(log.Of(phase, r).Select(d => d.ClientId)).Take(10))));
        var deadline = Stopwatch.StartNew();
        while (!Complete())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"phase {phase}: deliveries missing after 60 s: {Missing()}; errors: {string.Join(" ", log.Errors.Take(5))}");
            await Task.Delay(20);
        }

        Assert.Empty(log.Errors);
        var all = new List<double>();
        for (var r = 0; r < clients.Count; r++)
        {
            // Only the others' messages: a sender's own message echoed back is a bug of its own (see ConcurrentSendTests).
            var got = log.Of(phase, r).Where(d => expected[r].Contains(d.ClientId)).ToList();
            var twice = got.GroupBy(d => d.ClientId).Where(g => g.Count() > 1).Select(g => $"{g.Key} (seq {g.First().Seq}) x{g.Count()}").ToList();
            Assert.True(twice.Count == 0, $"phase {phase}: receiver {r} got messages twice on one connection: {string.Join(", ", twice.Take(10))}");
            var seqs = got.Select(d => d.Seq).ToList();
            Assert.True(seqs.SequenceEqual(seqs.Order()), $"phase {phase}: receiver {r} got messages out of seq order");
            all.AddRange(got.Select(d => d.Latency));
        }

        all.Sort();
        var p99 = all[(int)Math.Ceiling(0.99 * all.Count) - 1];
        output.WriteLine($"{phase}: {all.Count} deliveries, p50 {all[all.Count / 2]:0.0} ms, p99 {p99:0.0} ms, max {all[^1]:0.0} ms");
        foreach (var client in clients)
        {
            client.TakeAll();
        }

        return p99;
    }

    private static async Task<long> WatchCutOffAsync(ConnectionRegistry registry, string userId, Stopwatch since)
    {
        while (registry.Of(userId).Length > 0 && since.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        return since.ElapsedMilliseconds;
    }
}
