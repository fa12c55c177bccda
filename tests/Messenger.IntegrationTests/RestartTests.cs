using System.Net;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_on_the_same_data_directory_keeps_accounts_tokens_and_history()
    {
        var dataDir = TempDir.Create();
        TestUser alice, bob;
        string chat;
        await using (var server = await StandaloneServer.StartAsync(dataDir))
        {
            alice = await server.RegisterAsync();
            bob = await server.RegisterAsync();
            chat = await server.DirectAsync(alice, bob);
            await using var ws = await server.ConnectAsync(alice);
            await ws.SendMessageAsync(chat, "before restart");
            await server.PostAsync(bob, $"/api/conversations/{chat}/read", new { seq = 1 });
        }

        await using (var server = await StandaloneServer.StartAsync(dataDir))
        {
            var (login, _) = await server.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = "correct horse" });
            Assert.Equal(HttpStatusCode.OK, login);
            Assert.Equal("before restart", (string?)(await server.HistoryAsync(bob, chat)).Single()["text"]);
            Assert.Equal(0, (long)(await server.ConversationsAsync(bob)).Single()["unreadCount"]!);
            await using var ws = await server.ConnectAsync(alice);
            Assert.Equal(2, (long)(await ws.SendMessageAsync(chat, "after restart"))["seq"]!);
            var again = await server.CreateConversationAsync(bob, "direct", null, alice);
            Assert.Equal(chat, (string?)again["conversationId"]);
        }
    }
}
