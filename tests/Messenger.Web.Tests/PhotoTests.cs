using Messenger.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class PhotoTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_photo_is_previewed_sent_shown_as_a_thumbnail_and_opened_full_size()
    {
        await using var people = await TwoPeopleChat.StartAsync(browser, "look at this");
        var (_, alice, bob) = (people.Server, people.Alice, people.Bob);

        var chooser = await alice.Page.RunAndWaitForFileChooserAsync(() => alice.TestId("attach").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = TestImages.Png(800, 600) });
        await Expect(alice.Page.GetByAltText("The photo to send")).ToBeVisibleAsync();
        await Expect(alice.Page.Locator("#attachment-name")).ToHaveTextAsync("sunset.png");
        await alice.TestId("message-input").FillAsync("the sunset");
        await alice.TestId("send").ClickAsync();
        await Expect(alice.Page.Locator("#attachment")).ToBeHiddenAsync();
        await Expect(alice.Message(2).Locator("img.photo")).ToBeVisibleAsync();

        // Bob gets a thumbnail (the server scales it down), loaded with his token; a click shows the full photo.
        var photo = bob.Message(2).Locator("img.photo");
        await Expect(photo).ToBeVisibleAsync();
        await Expect(bob.Message(2)).ToContainTextAsync("the sunset");
        await photo.Page.WaitForFunctionAsync(
            "el => el.complete && el.naturalWidth > 0", await photo.ElementHandleAsync());
        var thumbnailWidth = await photo.EvaluateAsync<int>("el => el.naturalWidth");
        Assert.InRange(thumbnailWidth, 1, 320);
        Assert.StartsWith("blob:", await photo.GetAttributeAsync("src"));

        await bob.Message(2).GetByRole(AriaRole.Button, new() { NameRegex = new("Open the photo") }).ClickAsync();
        var full = bob.Page.Locator("#image-full");
        await Expect(full).ToBeVisibleAsync();
        await bob.Page.WaitForFunctionAsync("el => el.complete && el.naturalWidth > 0", await full.ElementHandleAsync());
        Assert.Equal(800, await full.EvaluateAsync<int>("el => el.naturalWidth"));
        await bob.Page.Keyboard.PressAsync("Escape");
        await Expect(full).ToBeHiddenAsync();
        await Expect(alice.StatusOf("the sunset")).ToHaveAttributeAsync("data-status", "read");
        await bob.ScreenshotAsync("photo.png");
    }
}
