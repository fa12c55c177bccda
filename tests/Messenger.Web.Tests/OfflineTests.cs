using Messenger.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class OfflineTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_offline_banner_shows_while_the_server_is_away_and_queued_messages_go_out_when_it_returns()
    {
        await using var people = await TwoPeopleChat.StartAsync(browser, "are you there?");
        var (server, alice, bob) = (people.Server, people.Alice, people.Bob);
        await Expect(bob.Message(1)).ToBeVisibleAsync();
        await Expect(alice.OfflineBanner).ToBeHiddenAsync();

        await server.StopAsync();
        await Expect(alice.OfflineBanner).ToBeVisibleAsync();
        await Expect(bob.OfflineBanner).ToBeVisibleAsync();

        // Written while offline: it waits in the page, marked as not sent yet.
        await bob.TestId("message-input").FillAsync("written while the server was down");
        await bob.TestId("send").ClickAsync();
        var queued = bob.MessageWithText("written while the server was down");
        await Expect(queued.Locator(".status")).ToHaveAttributeAsync("data-state", "pending");
        await Expect(queued).Not.ToHaveAttributeAsync("data-seq", new System.Text.RegularExpressions.Regex("."));

        await server.StartAgainAsync();
        await Expect(alice.OfflineBanner).ToBeHiddenAsync(new() { Timeout = 45_000 });
        await Expect(bob.OfflineBanner).ToBeHiddenAsync(new() { Timeout = 45_000 });
        await Expect(alice.Message(2)).ToContainTextAsync("written while the server was down");
        await Expect(bob.Message(2)).ToBeVisibleAsync();
        await Expect(bob.StatusOf("written while the server was down")).ToHaveAttributeAsync("data-status", "read");
        await Expect(alice.Messages).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task After_losing_the_connection_the_page_syncs_the_missed_messages_once_each_in_order()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var relay = TcpRelay.Start(server.BaseAddress);
        await using var alice = await browser.NewPersonAsync(relay.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");
        await alice.StartChatAsync(bob.Username);
        await alice.SendAsync("first");
        await bob.Conversations.First.ClickAsync();
        await Expect(bob.Message(1)).ToBeVisibleAsync();

        await relay.CutAsync();
        await Expect(alice.OfflineBanner).ToBeVisibleAsync();
        await Expect(alice.OfflineBanner).ToContainTextAsync("offline");
        foreach (var text in new[] { "missed one", "missed two", "missed three" })
        {
            await bob.SendAsync(text);
        }

        await Expect(bob.StatusOf("missed three")).ToHaveAttributeAsync("data-status", "sent");
        relay.Restore();
        await Expect(alice.OfflineBanner).ToBeHiddenAsync(new() { Timeout = 45_000 });
        await Expect(alice.Message(4)).ToContainTextAsync("missed three");
        await Expect(alice.Messages).ToHaveCountAsync(4);
        Assert.Equal(["first", "missed one", "missed two", "missed three"],
            (await alice.Messages.Locator(".text").AllTextContentsAsync()).ToArray());
        Assert.Equal(["1", "2", "3", "4"],
            (await alice.Messages.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.seq)")));
        await Expect(bob.StatusOf("missed three")).ToHaveAttributeAsync("data-status", "read");
    }
}
