using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class CrashTests
{
    [Fact]
    public async Task Kill_9_right_after_sent_loses_no_acknowledged_message()
    {
        var dataDir = TempDir.Create();
        var acked = new ConcurrentDictionary<string, long>();
        string chat;
        (string UserId, string Token) alice, bob;
        // A burst of 300 pipelined sends is a script, not a person: rate limits off for this test of durability.
        await using (var host = await ChildHost.StartAsync(dataDir, ("Messenger__RateLimits__Enabled", "false")))
        {
            alice = await RegisterAsync(host.BaseAddress, "alice");
            bob = await RegisterAsync(host.BaseAddress, "bob");
            chat = await DirectAsync(host.BaseAddress, alice.Token, bob.UserId);
            await using var ws = await WsClient.ConnectAsync(host.BaseAddress, alice.Token);

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
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new("Bearer", bob.Token);
            var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{chat}/messages?afterSeq=0&limit=200");
            var stored = page!["messages"]!.AsArray().Select(m => ((string)m!["clientMessageId"]!, (long)m["seq"]!)).ToList();

            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(s => s.Item2));
            Assert.Equal(stored.Count, stored.Select(s => s.Item1).Distinct().Count());
            foreach (var (clientId, seq) in acked)
            {
                Assert.Contains((clientId, seq), stored);
            }

            // The client resends what was never acked: stored ones dedupe, the rest get the next seqs.
            await using var ws = await WsClient.ConnectAsync(host.BaseAddress, alice.Token);
            var resent = await ws.SendMessageAsync(chat, "message 0", "k0");
            Assert.Equal(acked["k0"], (long)resent["seq"]!);
        }
    }

    private static async Task<(string UserId, string Token)> RegisterAsync(Uri baseAddress, string prefix)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { username = Api.UniqueName(prefix), password = "correct horse" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["userId"]!, (string)body["token"]!);
    }

    private static async Task<string> DirectAsync(Uri baseAddress, string token, string otherId)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.PostAsJsonAsync("/api/conversations", new { type = "direct", memberIds = new[] { otherId } });
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!;
    }
}
