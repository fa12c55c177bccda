namespace Messenger.Web.Tests.Infrastructure;

/// <summary>
/// The opening most browser tests share: a fresh server, alice and bob registered in their own browser profiles,
/// alice starts a direct chat and sends <c>first</c>, and bob opens the conversation. Disposes them in reverse.
/// </summary>
public sealed class TwoPeopleChat : IAsyncDisposable
{
    private TwoPeopleChat(StandaloneServer server, ChatPage alice, ChatPage bob) => (Server, Alice, Bob) = (server, alice, bob);

    public StandaloneServer Server { get; }

    public ChatPage Alice { get; }

    public ChatPage Bob { get; }

    public static async Task<TwoPeopleChat> StartAsync(BrowserFixture browser, string first)
    {
        var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        var alice = await browser.NewPersonAsync(server.BaseAddress);
        var bob = await browser.NewPersonAsync(server.BaseAddress);
        var chat = new TwoPeopleChat(server, alice, bob);
        try
        {
            await alice.RegisterAsync("alice");
            await bob.RegisterAsync("bob");
            await alice.StartChatAsync(bob.Username);
            await alice.SendAsync(first);
            await bob.Conversations.First.ClickAsync();
            return chat;
        }
        catch
        {
            await chat.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Bob.DisposeAsync();
        await Alice.DisposeAsync();
        await Server.DisposeAsync();
    }
}
