using Messenger.DaprEndToEnd.Tests.Infrastructure;
using Messenger.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using Xunit.Abstractions;

namespace Messenger.DaprEndToEnd.Tests;

/// <summary>The web client served by the edge, in Debian's Chromium: pages, API and WebSockets all through the edge.</summary>
[Collection(DaprRunCollection.Name)]
public sealed class BrowserTests(DaprRun run, BrowserFixture browser, ITestOutputHelper output) : RunTest(run, output), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Two_people_chat_in_the_browser_through_the_edge()
    {
        await using var alice = await browser.NewPersonAsync(Run.Edge);
        await using var bob = await browser.NewPersonAsync(Run.Edge);
        await alice.RegisterAsync(ApiClient.UniqueName("alice"));
        await bob.RegisterAsync(ApiClient.UniqueName("bob"));

        await alice.StartChatAsync(bob.Username);
        await alice.SendAsync("Hi Bob, this went through the edge and two sidecars");
        await Expect(alice.Message(1)).ToContainTextAsync("Hi Bob, this went through the edge and two sidecars");

        var item = bob.Conversations.First;
        await Expect(item).ToContainTextAsync("Hi Bob, this went through the edge");
        await item.ClickAsync();
        await Expect(bob.Message(1)).ToContainTextAsync("Hi Bob, this went through the edge and two sidecars");
        await Expect(alice.StatusOf("Hi Bob,")).ToHaveAttributeAsync("data-status", "read");

        await bob.SendAsync("Hi Alice, got it");
        await Expect(alice.Message(2)).ToContainTextAsync("Hi Alice, got it");
        await Expect(alice.Messages).ToHaveCountAsync(2);
        await Expect(bob.Messages).ToHaveCountAsync(2);
        Assert.Empty(alice.Errors);
        Assert.Empty(bob.Errors);
    }
}
