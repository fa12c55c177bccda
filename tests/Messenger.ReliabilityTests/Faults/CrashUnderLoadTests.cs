using System.Diagnostics;
using System.Text.Json.Nodes;
using Messenger.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>
/// The standalone host as a child process under a steady load of sends, SIGKILLed at random moments and restarted on
/// the same data directory, again and again (<see cref="FaultSettings.Kills"/> times).
/// </summary>
public sealed class CrashUnderLoadTests(ITestOutputHelper output)
{
    private const int Window = 4;

    // A load is a script, not a person: the rate limits are off for it.
    private static readonly (string, string)[] Environment = [("Messenger__RateLimits__Enabled", "false")];

    [Fact]
    public async Task Sigkill_at_random_moments_under_load_loses_no_acknowledged_message_and_resync_is_exact()
    {
        var kills = FaultSettings.Kills;
        var seed = FaultSettings.Seed;
        var random = new Random(seed);
        output.WriteLine($"kills={kills} seed={seed} (replay with {FaultSettings.SeedVariable}={seed})");
        var dataDir = TempDirectory.Create();
        var watch = Stopwatch.StartNew();
        var stats = new CrashStats();
        List<LoadDevice> devices;
        Dictionary<string, TestUser> readerOf;

        await using (var first = await ChildHost.StartAsync(dataDir, Environment))
        {
            var users = new List<TestUser>();
            for (var i = 0; i < 4; i++)
            {
                users.Add(await first.Api.RegisterAsync(prefix: "load"));
            }

            var (a, b, c, d) = (users[0], users[1], users[2], users[3]);
            var everyone = await first.Api.ConversationAsync(a, "group", b, c, d);
            var three = await first.Api.ConversationAsync(a, "group", b, c);
            var pair = await first.Api.ConversationAsync(c, "direct", d);
            readerOf = new Dictionary<string, TestUser> { [everyone] = a, [three] = a, [pair] = c };
            devices =
            [
                new LoadDevice(a, [everyone, three], Window),
                new LoadDevice(b, [everyone, three], Window),
                new LoadDevice(c, [everyone, three, pair], Window),
                new LoadDevice(d, [everyone, pair], Window),
            ];
            await RunRoundAsync(first, devices, readerOf, stats, killAfter: Delay(random));
        }

        for (var round = 1; round <= kills; round++)
        {
            var starting = Stopwatch.StartNew();
            await using var host = await ChildHost.StartAsync(dataDir, Environment);
            output.WriteLine($"restart {round}: healthy after {starting.ElapsedMilliseconds} ms");
            await RunRoundAsync(host, devices, readerOf, stats, killAfter: round < kills ? Delay(random) : null);
        }

        foreach (var device in devices)
        {
            Assert.Empty(device.Violations);
            Assert.Empty(device.Unacked);
        }

        output.WriteLine(
            $"kills survived: {stats.Kills}; sends acknowledged: {devices.Sum(x => x.Acked.Count)}; stored messages checked: {stats.MessagesChecked} " +
            $"over {stats.Verifications} restarts; resends answered from the store: {devices.Sum(x => x.ResendsDeduplicated)}; " +
            $"messages resynced: {stats.Resynced}; duration {watch.Elapsed.TotalSeconds:0.0} s");
        TempDirectory.TryDelete(dataDir);
    }

    /// <summary>
    /// One life of the host: check what survived, resync every device and compare with the store, then either send
    /// under load until a SIGKILL at <paramref name="killAfter"/> or, in the last round, resend what is unacknowledged.
    /// </summary>
    private async Task RunRoundAsync(
        ChildHost host, List<LoadDevice> devices, Dictionary<string, TestUser> readerOf, CrashStats stats, TimeSpan? killAfter)
    {
        var phase = Stopwatch.StartNew();
        var stored = await VerifyStoreAsync(host, devices, readerOf, stats);
        foreach (var device in devices)
        {
            await device.ConnectAsync(host.BaseAddress);
        }

        // Everyone resyncs before anyone sends, so that the store is still while sync answers are compared with it.
        foreach (var device in devices)
        {
            var cursors = device.Cursors();
            var replayed = await device.SyncAsync(cursors);
            stats.Resynced += replayed.Count;
            foreach (var conversation in device.Conversations)
            {
                var expected = stored[conversation].Where(m => (long)m["seq"]! > cursors[conversation]).Select(m => (string)m["messageId"]!).ToList();
                var got = replayed.Where(m => (string)m["conversationId"]! == conversation).Select(m => (string)m["messageId"]!).ToList();
                Assert.True(
                    expected.SequenceEqual(got),
                    $"{device.User.Username} synced {conversation} from {cursors[conversation]}: expected {expected.Count} messages after the cursor, got {got.Count} " +
                    $"(missing {expected.Except(got).Count()}, extra or repeated {got.Count - got.Distinct().Count() + got.Except(expected).Count()})");
            }

            Assert.All(replayed, m => Assert.Contains((string)m["conversationId"]!, device.Conversations));
            foreach (var pending in device.Unacked)
            {
                if (stored[pending.Conversation].FindLast(m => (string)m["clientMessageId"]! == pending.ClientId) is { } already)
                {
                    device.ExpectedOnResend[(pending.Conversation, pending.ClientId)] = (long)already["seq"]!;
                }
            }
        }

        var checkedIn = phase.ElapsedMilliseconds;
        if (killAfter is { } delay)
        {
            using var stop = new CancellationTokenSource();
            var load = devices.Select(d => d.RunLoadAsync(stop.Token)).ToList();
            await Task.Delay(delay);
            host.Kill();
            stats.Kills++;
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            output.WriteLine($"  checked and resynced in {checkedIn} ms; SIGKILL {delay.TotalMilliseconds} ms into the load");
        }
        else
        {
            foreach (var device in devices)
            {
                await device.ResendUnackedAsync();
            }

            await VerifyStoreAsync(host, devices, readerOf, stats);
        }

        foreach (var device in devices)
        {
            await device.DisconnectAsync();
        }
    }

    /// <summary>Every conversation: seq 1..N without gap or duplicate, each clientMessageId once, every acknowledged send in place.</summary>
    private static async Task<Dictionary<string, List<JsonObject>>> VerifyStoreAsync(
        ChildHost host, List<LoadDevice> devices, Dictionary<string, TestUser> readerOf, CrashStats stats)
    {
        var stored = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var (conversation, reader) in readerOf)
        {
            var messages = await host.Api.AllMessagesAsync(reader, conversation);
            var seqs = messages.Select(m => (long)m["seq"]!).ToList();
            Assert.True(seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(i => (long)i)), $"{conversation}: seqs are not 1..{seqs.Count} in order");
            var keys = messages.Select(m => ((string)m["senderId"]!, (string)m["clientMessageId"]!)).ToList();
            Assert.True(keys.Distinct().Count() == keys.Count, $"{conversation}: a clientMessageId is stored twice");
            var head = (await host.Api.ConversationsAsync(reader)).Single(c => (string)c!["conversationId"]! == conversation)!;
            Assert.Equal(seqs.Count, (long)head["lastSeq"]!);
            stored[conversation] = messages;
            stats.MessagesChecked += messages.Count;
        }

        var seqOf = stored.ToDictionary(
            s => s.Key,
            s => s.Value.ToDictionary(m => ((string)m["senderId"]!, (string)m["clientMessageId"]!), m => (long)m["seq"]!),
            StringComparer.Ordinal);
        foreach (var device in devices)
        {
            foreach (var ((conversation, clientId), seq) in device.Acked)
            {
                Assert.True(
                    seqOf[conversation].TryGetValue((device.User.UserId, clientId), out var found),
                    $"acknowledged {clientId} (seq {seq}) of {device.User.Username} is gone after a kill");
                Assert.Equal(seq, found);
            }
        }

        stats.Verifications++;
        return stored;
    }

    private static TimeSpan Delay(Random random) => TimeSpan.FromMilliseconds(random.Next(150, 1500));
}
