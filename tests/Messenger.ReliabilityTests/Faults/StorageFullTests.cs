using System.Net;
using Messenger.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>The data directory on a small tmpfs that the test fills up: SQLite meets a real ENOSPC.</summary>
public sealed class StorageFullTests(ITestOutputHelper output)
{
    private static readonly string Big = new('z', 4000);

    [Fact]
    public async Task A_full_disk_turns_sends_into_internal_errors_never_a_false_sent_and_service_resumes_when_space_returns()
    {
        await using var disk = await SmallDisk.MountAsync(sizeMiB: 16);
        var dataDir = Path.Combine(disk.Path, "data");
        var acked = new Dictionary<string, long>(StringComparer.Ordinal);
        TestUser alice, bob;
        string chat;
        await using (var server = await StandaloneServer.StartAsync(dataDir))
        {
            alice = await server.Api.RegisterAsync(prefix: "alice");
            bob = await server.Api.RegisterAsync(prefix: "bob");
            chat = await server.Api.ConversationAsync(alice, "direct", bob);
            await using var aliceWs = await WsClient.ConnectAsync(server.BaseAddress, alice.Token);
            await using var bobWs = await WsClient.ConnectAsync(server.BaseAddress, bob.Token);
            for (var i = 1; i <= 3; i++)
            {
                var sent = await aliceWs.SendMessageAsync(chat, $"before {i}", $"before-{i}");
                Assert.Equal("sent", WsClient.Type(sent));
                acked[$"before-{i}"] = (long)sent["seq"]!;
            }

            await bobWs.WaitForAsync(f => WsClient.Type(f) == "message" && (long)f["message"]!["seq"]! == 3);
            bobWs.TakeAll();

            var filled = disk.Fill();
            output.WriteLine($"filled the disk with {filled / 1024} KiB");

            // Every send while the disk is full: an internal error that names it, never a sent.
            for (var i = 0; i < 10; i++)
            {
                var outcome = await aliceWs.SendMessageAsync(chat, Big, $"full-{i}");
                Assert.True(WsClient.Type(outcome) == "error", $"a send on a full disk got {outcome.ToJsonString()[..Math.Min(200, outcome.ToJsonString().Length)]}");
                Assert.Equal("internal", (string?)outcome["code"]);
                Assert.Equal($"full-{i}", (string?)outcome["ref"]);
            }

            var (status, problem) = await server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "full-http", text = Big });
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Equal("internal", (string?)problem!["code"]);

            // Nothing was stored and nothing was delivered.
            Assert.Equal([1L, 2L, 3L], (await server.Api.AllMessagesAsync(bob, chat)).Select(m => (long)m["seq"]!));
            Assert.Equal(3, (long)(await server.Api.ConversationsAsync(bob)).Single()!["lastSeq"]!);
            await aliceWs.RoundTripAsync();
            Assert.DoesNotContain(bobWs.TakeAll(), f => WsClient.Type(f) == "message");

            // Space returns: the next send takes the next seq, and a failed one resent is stored once, now.
            disk.Free();
            foreach (var id in new[] { "after-1", "full-0", "after-2" })
            {
                var sent = await aliceWs.SendMessageAsync(chat, id == "full-0" ? Big : "space is back", id);
                Assert.True(WsClient.Type(sent) == "sent", $"after the disk was freed, {id} got {sent.ToJsonString()[..Math.Min(200, sent.ToJsonString().Length)]}");
                acked[id] = (long)sent["seq"]!;
            }

            Assert.Equal([4L, 5L, 6L], new[] { acked["after-1"], acked["full-0"], acked["after-2"] });
            var delivered = await bobWs.WaitForAsync(f => WsClient.Type(f) == "message" && (long)f["message"]!["seq"]! == 6);
            Assert.Equal("after-2", (string?)delivered["message"]!["clientMessageId"]);
        }

        // And all of it is durable: a new process on the same files sees exactly what was acknowledged.
        await using (var again = await StandaloneServer.StartAsync(dataDir))
        {
            var stored = await again.Api.AllMessagesAsync(bob, chat);
            Assert.Equal(acked.OrderBy(a => a.Value).Select(a => (a.Key, a.Value)), stored.Select(m => ((string)m["clientMessageId"]!, (long)m["seq"]!)));
        }
    }
}
