using System.Text.Json;
using Messenger.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class NotificationTests(BrowserFixture browser)
{
    // Headless Chromium neither hides a tab nor shows desktop notifications, so the page gets a switchable
    // visibility and a Notification that records what it is asked to show (permission granted).
    private const string HiddenTabScript = """
        window.__hidden = false;
        window.__notifications = [];
        Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => window.__hidden ? 'hidden' : 'visible' });
        Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__hidden });
        window.Notification = class {
          static permission = 'granted';
          static requestPermission() { return Promise.resolve('granted'); }
          constructor(title, options) { window.__notifications.push({ title, body: options?.body ?? null, tag: options?.tag ?? null }); }
          close() {}
        };
        """;

    [Fact]
    public async Task While_the_tab_is_hidden_a_message_raises_a_desktop_notification_and_is_read_only_once_visible()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await alice.Page.AddInitScriptAsync(HiddenTabScript);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");
        await alice.StartChatAsync(bob.Username);
        await alice.SendAsync("ping");
        await bob.Conversations.First.ClickAsync();
        await Expect(alice.StatusOf("ping")).ToHaveAttributeAsync("data-status", "read");

        await SetHiddenAsync(alice, true);
        await bob.SendAsync("are you still there?");
        await Expect(alice.Message(2)).ToContainTextAsync("are you still there?");
        await alice.Page.WaitForFunctionAsync("() => window.__notifications.length > 0");
        var shown = JsonSerializer.Deserialize<JsonElement[]>(await alice.Page.EvaluateAsync<string>("() => JSON.stringify(window.__notifications)"))!;
        var notification = Assert.Single(shown);
        Assert.Equal("bob", notification.GetProperty("title").GetString());
        Assert.Equal("are you still there?", notification.GetProperty("body").GetString());

        // Hidden, the open conversation is delivered but not read; visible again, it is read.
        await Expect(bob.StatusOf("are you still there?")).ToHaveAttributeAsync("data-status", "delivered");
        await Expect(alice.Conversations.First.Locator(".badge")).ToHaveTextAsync("1");
        await SetHiddenAsync(alice, false);
        await Expect(bob.StatusOf("are you still there?")).ToHaveAttributeAsync("data-status", "read");
        await Expect(alice.Conversations.First.Locator(".badge")).ToBeHiddenAsync();

        // Visible, a message raises no notification.
        await bob.SendAsync("good");
        await Expect(alice.Message(3)).ToBeVisibleAsync();
        await Expect(bob.StatusOf("good")).ToHaveAttributeAsync("data-status", "read");
        Assert.Equal(1, await alice.Page.EvaluateAsync<int>("() => window.__notifications.length"));
    }

    private static Task<JsonElement?> SetHiddenAsync(ChatPage person, bool hidden) =>
        person.Page.EvaluateAsync("hidden => { window.__hidden = hidden; document.dispatchEvent(new Event('visibilitychange')); }", hidden);
}
