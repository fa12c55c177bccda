using System.Collections.Concurrent;

namespace Messenger.IntegrationTests;

public sealed class CrashTests
{
    [Fact]
    public async Task Kill_9_right_after_sent_loses_no_acknowledged_message()
    {
        var dataDir = TempDirectory.Create();
        var acked = new ConcurrentDictionary<string, long>();
        string chat;
        TestUser alice, bob;
        // A burst of 300 pipelined sends is a script, not a person: rate limits off for this test of durability.
        await using (var host = await ChildHost.StartAsync(dataDir, ("Messenger__RateLimits__Enabled", "false")))
        {
            alice = await host.Api.RegisterAsync(prefix: "alice");
            bob = await host.Api.RegisterAsync(prefix: "bob");
            chat = await host.Api.DirectAsync(alice, bob);
            await using var ws = await host.Api.ConnectAsync(alice);

            // Many sends in flight; kill the process the moment the 40th ack arrives.
            for (var i = 0; i < 300; i++)
            {
                await ws.SendAsync(new { type = "send", conversationId = chat, clientMessageId = $"k{i}", text = $"message {i}" });
            }

            while (acked.Count < 40)
            {
                var sent = await ws.WaitForTypeAsync("sent");
                acked[(string)sent["clientMessageId"]!] = (long)sent["seq"]!;
            }

            host.Kill();
        }

        await using (var host = await ChildHost.StartAsync(dataDir))
        {
            var page = await host.Api.HistoryAsync(bob, chat, "?afterSeq=0&limit=200");
            var stored = page.Select(m => ((string)m["clientMessageId"]!, (long)m["seq"]!)).ToList();

            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(s => s.Item2));
            Assert.Equal(stored.Count, stored.Select(s => s.Item1).Distinct().Count());
            foreach (var (clientId, seq) in acked)
            {
                Assert.Contains((clientId, seq), stored);
            }

            // The client resends what was never acked: stored ones dedupe, the rest get the next seqs.
            await using var ws = await host.Api.ConnectAsync(alice);
            var resent = await ws.SendMessageAsync(chat, "message 0", "k0");
            Assert.Equal(acked["k0"], (long)resent["seq"]!);
        }
    }
}
