using System.Net.WebSockets;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>
/// A child host with an idle client and two clients sending steadily, ready to be sent SIGTERM; afterwards, a restart
/// on the same data directory that checks nothing acknowledged was lost and that each client resyncs exactly.
/// </summary>
internal sealed class ShutdownRun : IAsyncDisposable
{
    private readonly string dataDir;
    private readonly CancellationTokenSource stop = new();
    private List<Task> load = [];
    private string chat = null!;
    private TestUser reader = null!;

    private ShutdownRun(string dataDir, ChildHost host)
    {
        this.dataDir = dataDir;
        Host = host;
    }

    public ChildHost Host { get; }

    public (TestUser User, WsClient Socket) Idle { get; private set; }

    public List<LoadDevice> Devices { get; } = [];

    /// <summary>Starts the host and the traffic; returns once sends are in flight.</summary>
    public static async Task<ShutdownRun> StartAsync(params (string Key, string Value)[] environment)
    {
        var dataDir = TempDirectory.Create();
        var host = await ChildHost.StartAsync(dataDir, [("Messenger__RateLimits__Enabled", "false"), .. environment]);
        var run = new ShutdownRun(dataDir, host);
        var alice = await host.Api.RegisterAsync(prefix: "alice");
        var bob = await host.Api.RegisterAsync(prefix: "bob");
        var carol = await host.Api.RegisterAsync(prefix: "carol");
        run.chat = await host.Api.ConversationAsync(alice, "group", bob, carol);
        run.reader = carol;
        run.Idle = (carol, await WsClient.ConnectAsync(host.BaseAddress, carol.Token));
        run.Devices.Add(new LoadDevice(alice, [run.chat], window: 4));
        run.Devices.Add(new LoadDevice(bob, [run.chat], window: 4));
        foreach (var device in run.Devices)
        {
            await device.ConnectAsync(host.BaseAddress);
            await device.SyncAsync(device.Cursors());
        }

        run.load = run.Devices.Select(d => d.RunLoadAsync(run.stop.Token)).ToList();
        await Task.Delay(700);
        return run;
    }

    /// <summary>How the server closed the connection: its close status, or null when it was dropped without one.</summary>
    public static async Task<WebSocketCloseStatus?> WaitClosedAsync(WsClient client, TimeSpan wait)
    {
        await client.Closed.WaitAsync(wait);
        return client.CloseStatus;
    }

    /// <summary>After the host has gone: restart on the same data, check every acknowledged send, resync and resend.</summary>
    public async Task<(int Acked, int Stored)> RestartAndVerifyAsync()
    {
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var device in Devices)
        {
            Assert.Empty(device.Violations);
            await device.DisconnectAsync();
        }

        Assert.Contains(Devices, d => !d.Acked.IsEmpty);
        var ackedBefore = Devices.Sum(d => d.Acked.Count);
        await using var host = await ChildHost.StartAsync(dataDir, ("Messenger__RateLimits__Enabled", "false"));
        var stored = await host.Api.AllMessagesAsync(reader, chat);
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(m => (long)m["seq"]!));
        foreach (var device in Devices)
        {
            foreach (var ((_, clientId), seq) in device.Acked)
            {
                Assert.Contains(stored, m => (string)m["clientMessageId"]! == clientId && (long)m["seq"]! == seq);
            }

            var cursors = device.Cursors();
            await device.ConnectAsync(host.BaseAddress);
            var replayed = await device.SyncAsync(cursors);
            var expected = stored.Where(m => (long)m["seq"]! > cursors[chat]).Select(m => (long)m["seq"]!).ToList();
            var got = replayed.Select(m => (long)m["seq"]!).ToList();
            Assert.True(
                expected.SequenceEqual(got),
                $"{device.User.Username} resynced from {cursors[chat]}: expected seqs {Describe(expected)}, got {Describe(got)}");
            foreach (var pending in device.Unacked)
            {
                if (stored.FirstOrDefault(m => (string)m["clientMessageId"]! == pending.ClientId) is { } already)
                {
                    device.ExpectedOnResend[(pending.Conversation, pending.ClientId)] = (long)already["seq"]!;
                }
            }

        }

        // Only after every device has resynced against the same store: resend what was never acknowledged.
        foreach (var device in Devices)
        {
            await device.ResendUnackedAsync();
            Assert.Empty(device.Unacked);
            Assert.Empty(device.Violations);
            await device.DisconnectAsync();
        }

        return (ackedBefore, stored.Count);
    }

    private static string Describe(List<long> seqs) =>
        seqs.Count == 0 ? "none" : $"{seqs.Count} ({seqs[0]}..{seqs[^1]}{(seqs.Count > 10 ? "" : ": " + string.Join(",", seqs))})";

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        foreach (var device in Devices)
        {
            await device.DisconnectAsync();
        }

        await Idle.Socket.DisposeAsync();
        await Host.DisposeAsync();
        stop.Dispose();
        TempDirectory.TryDelete(dataDir);
    }
}
