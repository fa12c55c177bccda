using Messenger.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests;

/// <summary>The admin controls of a group and block / unblock in a direct chat's header, as people use them.</summary>
[Collection(WebCollection.Name)]
public sealed class GroupAdminAndBlockTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_creator_makes_a_member_admin_removes_another_and_leaves_and_the_new_admin_adds_someone()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await using var carol = await browser.NewPersonAsync(server.BaseAddress);
        await using var dave = await browser.NewPersonAsync(server.BaseAddress);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");
        await carol.RegisterAsync("carol");
        await dave.RegisterAsync("dave");
        AcceptConfirms(alice);

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "New group" }).ClickAsync();
        await alice.Page.GetByLabel("Group name").FillAsync("Book club");
        await alice.Page.GetByLabel("Members").FillAsync($"{bob.Username} {carol.Username}");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await Expect(alice.Page.Locator("#chat-title")).ToHaveTextAsync("Book club");
        await alice.SendAsync("First book: Dune");

        // Bob is a member: he sees who is admin, and has no admin controls.
        await bob.OpenConversationAsync("Book club");
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Add member" })).ToBeHiddenAsync();
        await bob.TestId("members-button").ClickAsync();
        await Expect(Member(bob, alice)).ToHaveAttributeAsync("data-role", "admin");
        await Expect(Member(bob, alice).Locator(".role-badge")).ToHaveTextAsync("admin");
        await Expect(bob.TestId("members-list").GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = false })).ToHaveCountAsync(0);
        await bob.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // Alice makes Bob an admin and removes Carol.
        await alice.TestId("members-button").ClickAsync();
        await Expect(Member(alice, carol)).ToHaveAttributeAsync("data-role", "member");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = $"Make {bob.Username} an admin" }).ClickAsync();
        await Expect(Member(alice, bob)).ToHaveAttributeAsync("data-role", "admin");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = $"Remove {carol.Username}" }).ClickAsync();
        await Expect(Member(alice, carol)).ToHaveCountAsync(0);
        await alice.ScreenshotAsync("group-members.png");
        await alice.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(carol.Conversations).ToHaveCountAsync(0);

        // Bob, now an admin, gets the button and adds Dave; Alice leaves; Bob stays the admin.
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Add member" })).ToBeVisibleAsync();
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        var dialog = bob.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Username").FillAsync(dave.Username);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await dave.OpenConversationAsync("Book club");
        await Expect(dave.Message(1)).ToContainTextAsync("First book: Dune");

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Expect(alice.Conversations).ToHaveCountAsync(0);
        await Expect(dave.Page.Locator("#chat-subtitle")).ToContainTextAsync("2 members");
        await dave.TestId("members-button").ClickAsync();
        await Expect(Member(dave, bob)).ToHaveAttributeAsync("data-role", "admin");
        Assert.Empty(alice.Errors.Concat(bob.Errors).Concat(carol.Errors).Concat(dave.Errors));
    }

    [Fact]
    public async Task Blocking_from_a_direct_chats_header_stops_messages_both_ways_until_unblocked_and_survives_a_reload()
    {
        await using var server = await StandaloneServer.StartAsync(WebServerOptions.Default);
        await using var alice = await browser.NewPersonAsync(server.BaseAddress);
        await using var bob = await browser.NewPersonAsync(server.BaseAddress);
        await alice.RegisterAsync("alice");
        await bob.RegisterAsync("bob");
        AcceptConfirms(alice);
        await bob.StartChatAsync(alice.Username);
        await bob.SendAsync("hey alice");
        await alice.OpenConversationAsync(bob.Username);
        await Expect(alice.Message(1)).ToContainTextAsync("hey alice");

        await alice.TestId("block-user").ClickAsync();
        await Expect(alice.TestId("block-user")).ToHaveTextAsync("Unblock");
        await Expect(alice.TestId("blocked-note")).ToContainTextAsync($"You blocked {bob.Username}");
        await Expect(alice.TestId("message-input")).ToBeDisabledAsync();
        await alice.ScreenshotAsync("blocked-chat.png");

        // Bob's message is refused: it shows as not sent, and Alice never gets it.
        await bob.TestId("message-input").FillAsync("why?");
        await bob.TestId("send").ClickAsync();
        await Expect(bob.MessageWithText("why?").Locator(".send-problem")).ToContainTextAsync("Not sent: You cannot send messages in this conversation.");
        await Expect(alice.Messages).ToHaveCountAsync(1);

        // The block is the server's: after a reload it is still there.
        await alice.Page.ReloadAsync();
        await alice.OpenConversationAsync(bob.Username);
        await Expect(alice.TestId("block-user")).ToHaveTextAsync("Unblock");
        await Expect(alice.TestId("message-input")).ToBeDisabledAsync();

        await alice.TestId("block-user").ClickAsync();
        await Expect(alice.TestId("block-user")).ToHaveTextAsync("Block");
        await Expect(alice.TestId("blocked-note")).ToBeHiddenAsync();
        await alice.SendAsync("ok, talk to me");
        await Expect(bob.MessageWithText("ok, talk to me")).ToBeVisibleAsync();
        Assert.Empty(alice.Errors.Concat(bob.Errors));
    }

    private static ILocator Member(ChatPage viewer, ChatPage member) =>
        viewer.TestId("members-list").Locator("[data-testid=member]").Filter(new LocatorFilterOptions { HasText = member.Username });

    private static void AcceptConfirms(ChatPage person) => person.Page.Dialog += (_, dialog) => dialog.AcceptAsync();
}
