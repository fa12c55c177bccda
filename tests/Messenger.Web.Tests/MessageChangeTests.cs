using Messenger.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests;

/// <summary>Reply, react, edit, delete for everyone and delete for me: live on the other side and after a reload.</summary>
[Collection(WebCollection.Name)]
public sealed class MessageChangeTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_reply_quotes_the_original_and_jumps_to_it_and_reactions_replace_and_remove()
    {
        await using var people = await TwoPeopleChat.StartAsync(browser, "Lunch at noon?");
        var (alice, bob) = (people.Alice, people.Bob);
        await Expect(bob.Message(1)).ToBeVisibleAsync();

        await MenuAsync(bob, 1, "reply");
        await Expect(bob.TestId("replying-to")).ToContainTextAsync("Lunch at noon?");
        await bob.SendAsync("Yes, see you there");
        await Expect(bob.TestId("replying-to")).ToBeHiddenAsync();
        await Expect(alice.Message(2).GetByTestId("reply-preview")).ToContainTextAsync("Lunch at noon?");
        await alice.Message(2).GetByTestId("reply-preview").ClickAsync();
        await Expect(alice.Message(1)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("highlight"));

        await MenuAsync(bob, 1, "react");
        await bob.Message(1).Locator("[data-testid=react-option][data-emoji='👍']").ClickAsync();
        await Expect(Reaction(alice, 1, "👍")).ToHaveAttributeAsync("data-count", "1");
        await MenuAsync(bob, 1, "react");
        await bob.Message(1).Locator("[data-testid=react-option][data-emoji='😂']").ClickAsync();
        await Expect(Reaction(alice, 1, "😂")).ToHaveAttributeAsync("data-count", "1");
        await Expect(Reaction(alice, 1, "👍")).ToHaveCountAsync(0);
        await MenuAsync(alice, 1, "react");
        await alice.Message(1).Locator("[data-testid=react-option][data-emoji='😂']").ClickAsync();
        await Expect(Reaction(bob, 1, "😂")).ToHaveAttributeAsync("data-count", "2");

        await alice.Page.ReloadAsync();
        await Expect(Reaction(alice, 1, "😂")).ToHaveAttributeAsync("data-count", "2");
        await Expect(alice.Message(2).GetByTestId("reply-preview")).ToContainTextAsync("Lunch at noon?");
        await MenuAsync(bob, 1, "react");
        await bob.Message(1).GetByTestId("react-remove").ClickAsync();
        await Expect(Reaction(alice, 1, "😂")).ToHaveAttributeAsync("data-count", "1");
        Assert.Empty(alice.Errors);
        Assert.Empty(bob.Errors);
    }

    [Fact]
    public async Task An_edit_shows_in_place_and_a_delete_for_everyone_leaves_a_tombstone_on_both_sides()
    {
        await using var people = await TwoPeopleChat.StartAsync(browser, "Lunch at nun?");
        var (alice, bob) = (people.Alice, people.Bob);
        await Expect(bob.Message(1)).ToBeVisibleAsync();
        await MenuAsync(bob, 1, "reply");
        await bob.SendAsync("Typo there");
        await Expect(alice.Message(2)).ToBeVisibleAsync();

        await MenuAsync(alice, 1, "edit");
        await alice.Message(1).GetByTestId("edit-input").FillAsync("Lunch at noon?");
        await alice.Message(1).GetByTestId("edit-input").PressAsync("Enter");
        await Expect(bob.Message(1)).ToContainTextAsync("Lunch at noon?");
        await Expect(bob.Message(1).GetByTestId("edited")).ToBeVisibleAsync();
        await Expect(bob.Message(2).GetByTestId("reply-preview")).ToContainTextAsync("Lunch at noon?");
        await Expect(alice.Message(1).GetByTestId("edited")).ToBeVisibleAsync();

        await Expect(bob.Message(1).GetByTestId("message-menu")).ToBeVisibleAsync();
        await bob.Message(1).GetByTestId("message-menu").ClickAsync();
        await Expect(bob.Message(1).GetByTestId("edit")).ToHaveCountAsync(0);
        await Expect(bob.Message(1).GetByTestId("delete")).ToHaveCountAsync(0);
        await bob.Message(1).GetByTestId("message-menu").ClickAsync();

        await MenuAsync(alice, 1, "delete");
        await Expect(bob.Message(1).GetByTestId("deleted")).ToBeVisibleAsync();
        await Expect(bob.Message(1)).Not.ToContainTextAsync("Lunch");
        await Expect(bob.Message(2).GetByTestId("reply-preview")).ToHaveTextAsync("Deleted message");
        await Expect(alice.Message(1).GetByTestId("deleted")).ToBeVisibleAsync();

        await bob.Page.ReloadAsync();
        await Expect(bob.Message(1).GetByTestId("deleted")).ToBeVisibleAsync();
        await Expect(bob.Message(2).GetByTestId("reply-preview")).ToHaveTextAsync("Deleted message");
        Assert.Empty(alice.Errors);
        Assert.Empty(bob.Errors);
    }

    [Fact]
    public async Task Delete_for_me_hides_the_message_from_me_only_also_after_a_reload()
    {
        await using var people = await TwoPeopleChat.StartAsync(browser, "keep this between us");
        var (alice, bob) = (people.Alice, people.Bob);
        await Expect(bob.Message(1)).ToBeVisibleAsync();
        await alice.SendAsync("second");
        await Expect(bob.Message(2)).ToBeVisibleAsync();

        await MenuAsync(bob, 1, "delete-for-me");
        await Expect(bob.Message(1)).ToHaveCountAsync(0);
        await Expect(bob.Message(2)).ToBeVisibleAsync();
        await Expect(alice.Message(1)).ToBeVisibleAsync();

        await bob.Page.ReloadAsync();
        await Expect(bob.Message(2)).ToBeVisibleAsync();
        await Expect(bob.Message(1)).ToHaveCountAsync(0);
        Assert.Empty(bob.Errors);
    }

    private static async Task MenuAsync(ChatPage person, long seq, string action)
    {
        var message = person.Message(seq);
        await message.GetByTestId("message-menu").ClickAsync();
        await message.GetByTestId(action).ClickAsync();
    }

    private static ILocator Reaction(ChatPage person, long seq, string emoji) =>
        person.Message(seq).Locator($"[data-testid=reaction][data-emoji='{emoji}']");
}
