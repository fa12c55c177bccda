using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Messenger.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class ChatTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_people_chat_both_ways_and_see_typing_and_the_read_receipt()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");

        await alice.StartChatAsync(bob.Username);
        await alice.SendAsync("Hi Bob! Lunch at noon at the usual place?");
        await Expect(alice.Message(1)).ToContainTextAsync("Hi Bob! Lunch at noon at the usual place?");

        // Bob's list shows the new conversation with the message and one unread; opening it reads it.
        var item = bob.Conversations.First;
        await Expect(item).ToContainTextAsync("Hi Bob! Lunch at noon at the usual place?");
        await Expect(item.Locator(".badge")).ToHaveTextAsync("1");
        await Expect(alice.StatusOf("Hi Bob!")).ToHaveAttributeAsync("data-status", "delivered");
        await item.ClickAsync();
        await Expect(bob.Message(1)).ToContainTextAsync("Hi Bob! Lunch at noon at the usual place?");
        await Expect(alice.StatusOf("Hi Bob!")).ToHaveAttributeAsync("data-status", "read");
        await Expect(item.Locator(".badge")).ToBeHiddenAsync();

        // Bob types: Alice sees it; Bob's reply arrives and clears it; Alice has the chat open, so she reads it at once.
        await bob.TestId("message-input").PressSequentiallyAsync("Sounds good");
        await Expect(alice.TestId("typing")).ToHaveTextAsync(new Regex($"{bob.Username} is typing"));
        await bob.TestId("message-input").PressSequentiallyAsync(", see you there. I might be five minutes late.");
        await bob.TestId("message-input").PressAsync("Enter");
        await Expect(alice.Message(2)).ToContainTextAsync("Sounds good, see you there. I might be five minutes late.");
        await Expect(alice.TestId("typing")).ToHaveTextAsync("");
        await Expect(bob.StatusOf("Sounds good, see you there. I might be five minutes late.")).ToHaveAttributeAsync("data-status", "read");
        await Expect(alice.Messages).ToHaveCountAsync(2);
        await Expect(bob.Messages).ToHaveCountAsync(2);

        await alice.SendAsync("No problem, I'll book a table for two.");
        await Expect(alice.StatusOf("book a table for two")).ToHaveAttributeAsync("data-status", "read");
        await alice.ScreenshotAsync("conversation.png");
        await bob.ScreenshotAsync("conversation-bob.png");
        Assert.Empty(alice.Errors);
        Assert.Empty(bob.Errors);

        // Presence: Alice sees Bob online, and when he leaves, when he was last seen.
        await Expect(alice.Page.Locator("#chat-subtitle")).ToHaveTextAsync("online");
        await Expect(alice.Conversations.First.Locator(".presence-dot")).ToHaveAttributeAsync("data-online", "true");
        await bob.LogOutAsync();
        await Expect(alice.Page.Locator("#chat-subtitle")).ToHaveTextAsync("last seen just now", new() { Timeout = 20_000 });
        await Expect(alice.Conversations.First.Locator(".presence-dot")).ToHaveAttributeAsync("data-online", "false");
    }

    [Fact]
    public async Task History_survives_a_reload_and_older_pages_load_on_scroll_up()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");
        await alice.StartChatAsync(bob.Username);
        await alice.SendAsync("message 1");

        // 69 more over HTTP, as Bob: more than one page of history (50).
        var (_, bobToken) = await bob.SessionAsync();
        var chat = await alice.Page.EvaluateAsync<string>("() => decodeURIComponent(location.hash.slice(4))");
        using var http = server.CreateHttpClient(bobToken);
        for (var i = 2; i <= 70; i++)
        {
            var response = await http.PostAsJsonAsync($"/api/conversations/{chat}/messages", new { clientMessageId = $"m{i}", text = $"message {i}" });
            response.EnsureSuccessStatusCode();
        }

        await Expect(alice.Message(70)).ToContainTextAsync("message 70");
        await alice.Page.ReloadAsync();
        await Expect(alice.Message(70)).ToContainTextAsync("message 70");
        await Expect(alice.Message(1)).ToHaveCountAsync(0);

        // Scrolling to the top pages in the rest, down to the first message.
        for (var i = 0; i < 5 && await alice.Message(1).CountAsync() == 0; i++)
        {
            await alice.Page.Locator("#messages").EvaluateAsync("el => el.scrollTop = 0");
            await alice.Page.WaitForFunctionAsync("() => !document.getElementById('history-status').textContent.startsWith('Loading')");
        }

        await Expect(alice.Message(1)).ToContainTextAsync("message 1");
        await Expect(alice.Messages).ToHaveCountAsync(70);
        await Expect(alice.Page.Locator("#history-status")).ToHaveTextAsync("This is the beginning of the conversation.");

        // Bob logs in again in a new tab (new session) and still has everything.
        await using var bobAgain = await browser.NewPersonAsync(server.BaseAddress);
        await bobAgain.Page.GotoAsync("/");
        await bobAgain.LogInAsync(bob.Username);
        await bobAgain.Conversations.First.ClickAsync();
        await Expect(bobAgain.Message(70)).ToContainTextAsync("message 70");
    }

    [Fact]
    public async Task A_group_is_created_a_member_added_later_and_everyone_gets_the_messages()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await using var carol = await browser.NewPersonAsync(server.BaseAddress);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");
        await carol.RegisterAsync("carol");

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "New group" }).ClickAsync();
        await alice.Page.GetByLabel("Group name").FillAsync("Climbing club");
        await alice.Page.GetByLabel("Members").FillAsync(bob.Username);
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await Expect(alice.Page.Locator("#chat-title")).ToHaveTextAsync("Climbing club");
        await alice.SendAsync("Saturday at the crag?");

        await bob.OpenConversationAsync("Climbing club");
        await Expect(bob.Message(1)).ToContainTextAsync("Saturday at the crag?");
        await Expect(bob.Message(1).Locator(".sender")).ToBeVisibleAsync();

        // Only an admin (the creator) may add: Bob has no such button, Alice adds Carol.
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Add member" })).ToBeHiddenAsync();
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        var dialog = alice.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByLabel("Username")).ToBeFocusedAsync();
        await dialog.GetByLabel("Username").FillAsync(carol.Username);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(bob.Page.Locator("#chat-subtitle")).ToContainTextAsync("3 members");

        // Carol sees the group appear, with the whole history; her message reaches both others.
        await carol.OpenConversationAsync("Climbing club");
        await Expect(carol.Message(1)).ToContainTextAsync("Saturday at the crag?");
        await carol.SendAsync("Count me in!");
        await Expect(alice.Message(2)).ToContainTextAsync("Count me in!");
        await Expect(bob.Message(2)).ToContainTextAsync("Count me in!");
        await Expect(bob.Message(2).Locator(".sender")).ToHaveTextAsync(carol.Username);
        await Expect(carol.StatusOf("Count me in!")).ToHaveAttributeAsync("data-status", "read");
        Assert.Empty(alice.Errors.Concat(bob.Errors).Concat(carol.Errors));
    }

    [Fact]
    public async Task Logging_out_and_in_again_keeps_the_conversations_and_a_session_ended_elsewhere_goes_back_to_login()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");
        await alice.StartChatAsync(bob.Username);
        await alice.SendAsync("before logout");

        await alice.LogOutAsync();
        Assert.Null(await alice.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('messenger.session')"));

        await alice.LogInAsync(alice.Username, "wrong password");
        await Expect(alice.Page.Locator("#auth-error")).ToHaveTextAsync("Wrong username or password.");
        await alice.LogInAsync(alice.Username);
        await Expect(alice.Conversations).ToHaveCountAsync(1);
        await alice.Conversations.First.ClickAsync();
        await Expect(alice.Message(1)).ToContainTextAsync("before logout");

        // The session is ended behind the page's back: its socket is closed (4001), and the page, whose next call
        // gets 401, asks to log in again without a click.
        var (_, token) = await alice.SessionAsync();
        using var http = server.CreateHttpClient(token);
        (await http.PostAsync("/api/auth/logout", null)).EnsureSuccessStatusCode();
        await Expect(alice.TestId("login")).ToBeVisibleAsync();
        await Expect(alice.Page.Locator("#auth-error")).ToHaveTextAsync("Your session has ended. Please log in again.");
    }

    [Fact]
    public async Task At_phone_width_the_list_and_the_chat_take_turns_and_the_keyboard_reaches_everything()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress, width: 390, height: 780);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await bob.RegisterAsync("bob");

        // Log in with the keyboard alone.
        const string username = "alice";
        await alice.Page.GotoAsync("/");
        await Expect(alice.TestId("username")).ToBeFocusedAsync();
        await alice.Page.Keyboard.TypeAsync(username);
        await alice.Page.Keyboard.PressAsync("Tab");
        await Expect(alice.TestId("password")).ToBeFocusedAsync();
        await alice.Page.Keyboard.TypeAsync(ChatPage.Password);
        await alice.Page.Keyboard.PressAsync("Tab");
        await Expect(alice.TestId("login")).ToBeFocusedAsync();
        await alice.Page.Keyboard.PressAsync("Tab");
        await Expect(alice.TestId("register")).ToBeFocusedAsync();
        await alice.Page.Keyboard.PressAsync("Enter");
        await Expect(alice.TestId("new-chat-username")).ToBeVisibleAsync();

        await alice.TestId("new-chat-username").FocusAsync();
        await alice.Page.Keyboard.TypeAsync(bob.Username);
        await alice.Page.Keyboard.PressAsync("Enter");
        await Expect(alice.TestId("message-input")).ToBeFocusedAsync();
        await Expect(alice.Page.Locator("#sidebar")).ToBeHiddenAsync();
        await alice.Page.Keyboard.TypeAsync("typed on a phone");
        await alice.Page.Keyboard.PressAsync("Enter");
        await Expect(alice.Message(1)).ToContainTextAsync("typed on a phone");
        Assert.True(await alice.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));

        // The labelled controls are reachable by their accessible names.
        await Expect(alice.Page.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Attach a photo or video", Exact = true })).ToBeVisibleAsync();

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Back to conversations" }).ClickAsync();
        await Expect(alice.Page.Locator("#sidebar")).ToBeVisibleAsync();
        await Expect(alice.Page.Locator("#chat")).ToBeHiddenAsync();
        await Expect(alice.Conversations.First).ToBeFocusedAsync();

        // A message from Bob is announced in the live region while Alice is on the list.
        await bob.Conversations.First.ClickAsync();
        await bob.SendAsync("hello from Bob");
        await Expect(alice.Page.Locator("#announcer")).ToContainTextAsync($"New message from {bob.Username}: hello from Bob");
        await Expect(alice.Conversations.First.Locator(".badge")).ToHaveTextAsync("1");
        await alice.ScreenshotAsync("phone-list.png");
    }
}
