using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Messenger.Observability.Tests;

/// <summary>The logs of a whole chat session, as the standalone host writes them in a container: JSON lines.</summary>
public sealed partial class LogTests
{
    [Fact]
    public async Task A_chat_session_logs_json_lines_with_trace_ids_and_never_a_text_a_token_or_a_password()
    {
        var dataDir = TempDirectory.Create();
        try
        {
            await using var host = await ChildHost.StartAsync(
                dataDir,
                ("DOTNET_RUNNING_IN_CONTAINER", "true"),
                ("Messenger__Telemetry__Tracing", "true"),
                ("Logging__LogLevel__Default", "Information"),
                ("Logging__LogLevel__Messenger", "Debug"));
            var secretText = "secret text " + Guid.NewGuid().ToString("n");
            var alice = await host.Api.RegisterAsync();
            var bob = await host.Api.RegisterAsync();
            var (loginStatus, login) = await host.Api.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = ApiClient.Password });
            Assert.Equal(HttpStatusCode.OK, loginStatus);
            var (wrongStatus, _) = await host.Api.PostAsync(null, "/api/auth/login", new { username = bob.Username, password = ApiClient.Password + " wrong" });
            Assert.NotEqual(HttpStatusCode.OK, wrongStatus);
            var chat = await host.Api.DirectAsync(alice, bob);
            await using (var aliceWs = await host.Api.ConnectAsync(alice))
            await using (var bobWs = await host.Api.ConnectAsync(bob))
            {
                await bobWs.RoundTripAsync();
                await aliceWs.SendMessageAsync(chat, secretText);
                var seq = (long)(await bobWs.WaitForTypeAsync("message"))["message"]!["seq"]!;
                await bobWs.SendAsync(new { type = "read", conversationId = chat, seq });
                await bobWs.SendAsync(new { type = "typing", conversationId = chat });
                await aliceWs.WaitForTypeAsync("receipt");
                Assert.Contains(await host.Api.HistoryAsync(bob, chat), m => (string?)m["text"] == secretText);
                var (sendStatus, _) = await host.Api.PostAsync(bob, $"/api/conversations/{chat}/messages", new { clientMessageId = "http", text = secretText + " over http" });
                Assert.True(sendStatus is HttpStatusCode.OK or HttpStatusCode.Created);
                await aliceWs.CloseAsync();
                await bobWs.CloseAsync();
            }

            await Eventually.HoldsAsync(() => Regex.Count(host.Output, "closed") >= 2, "both connections logged as closed");
            var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

            var secrets = new[] { secretText, ApiClient.Password, alice.Token, bob.Token, (string)login!["token"]! };
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
            }

            var entries = lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
            var accepted = entries.Where(e => e.GetProperty("Message").GetString()!.Contains("accepted connection", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, accepted.Count);
            Assert.All(accepted, entry =>
            {
                var scope = entry.GetProperty("Scopes").EnumerateArray().Single(s => s.TryGetProperty("TraceId", out _));
                Assert.Matches(HexId(32), scope.GetProperty("TraceId").GetString()!);
                Assert.Matches(HexId(16), scope.GetProperty("SpanId").GetString()!);
            });
        }
        finally
        {
            TempDirectory.TryDelete(dataDir);
        }
    }

    private static Regex HexId(int length) => new($"^[0-9a-f]{{{length}}}$");
}
