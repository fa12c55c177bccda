using System.Net;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_on_the_same_data_directory_keeps_accounts_tokens_and_history()
    {
        var dataDir = TempDirectory.Create();
        TestUser alice, bob;
        string chat;
        await using (var server = await StandaloneServer.StartAsync(dataDir))
        {
            alice = await server.Api.RegisterAsync();
            bob = await server.Api.RegisterAsync();
            chat = await server.Api.DirectAsync(alice, bob);
            await using var ws = await server.Api.ConnectAsync(alice);
            await ws.SendMessageAsync(chat, "before restart");
            await server.Api.PostAsync(bob, $"/api/conversations/{chat}/read", new { seq = 1 });
        }

        await using (var server = await StandaloneServer.StartAsync(dataDir))
        {
            var (login, _) = await server.Api.PostAsync(null, "/api/auth/login", new { username = alice.Username, password = "correct horse" });
            Assert.Equal(HttpStatusCode.OK, login);
            Assert.Equal("before restart", (string?)(await server.Api.HistoryAsync(bob, chat)).Single()["text"]);
            Assert.Equal(0, (long)(await server.Api.ConversationsAsync(bob)).Single()["unreadCount"]!);
            await using var ws = await server.Api.ConnectAsync(alice);
            Assert.Equal(2, (long)(await ws.SendMessageAsync(chat, "after restart"))["seq"]!);
            var again = await server.Api.CreateConversationAsync(bob, "direct", null, alice);
            Assert.Equal(chat, (string?)again["conversationId"]);
        }
    }
}
