using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests.Infrastructure;

/// <summary>One person's browser tab on the web client, driven through its <c>data-testid</c> hooks as a person would.</summary>
public sealed class ChatPage : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private static readonly TimeSpan CloseNudgeAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(30);

    private readonly List<string> errors = [];

    public ChatPage(IPage page)
    {
        Page = page;
        // Script errors and console errors (a CSP violation is one); a failed request is logged too, and is left out.
        page.PageError += (_, error) => Record($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Record($"console error: {message.Text}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>What went wrong in the page so far (script errors, CSP violations).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (errors)
            {
                return [.. errors];
            }
        }
    }

    public string Username { get; private set; } = "";

    public ILocator TestId(string id) => Page.GetByTestId(id);

    public ILocator Messages => TestId("message");

    public ILocator Message(long seq) => Page.Locator($"[data-testid=message][data-seq='{seq}']");

    public ILocator MessageWithText(string text) => Messages.Filter(new LocatorFilterOptions { HasText = text });

    public ILocator StatusOf(string text) => MessageWithText(text).GetByTestId("message-status");

    public ILocator Conversations => TestId("conversation-item");

    public ILocator OfflineBanner => TestId("offline-banner");

    public async Task RegisterAsync(string username)
    {
        Username = username;
        await Page.GotoAsync("/");
        await TestId("username").FillAsync(username);
        await TestId("password").FillAsync(Password);
        await TestId("register").ClickAsync();
        await Expect(TestId("new-chat-username")).ToBeVisibleAsync();
    }

    public async Task LogInAsync(string username, string password = Password)
    {
        Username = username;
        await TestId("username").FillAsync(username);
        await TestId("password").FillAsync(password);
        await TestId("login").ClickAsync();
    }

    /// <summary>Logs out; the page reloads to a fresh login form, which this waits for.</summary>
    public async Task LogOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(TestId("login")).ToBeVisibleAsync();
        await Page.WaitForLoadStateAsync(LoadState.Load);
    }

    public async Task StartChatAsync(string username)
    {
        await TestId("new-chat-username").FillAsync(username);
        await TestId("start-chat").ClickAsync();
        await Expect(TestId("message-input")).ToBeFocusedAsync();
    }

    public async Task OpenConversationAsync(string title)
    {
        await Conversations.Filter(new LocatorFilterOptions { HasText = title }).ClickAsync();
        await Expect(TestId("message-input")).ToBeVisibleAsync();
    }

    public async Task SendAsync(string text)
    {
        await TestId("message-input").FillAsync(text);
        await TestId("send").ClickAsync();
        await Expect(MessageWithText(text)).ToBeVisibleAsync();
    }

    /// <summary>The bearer token this tab holds (in sessionStorage), to set up data over HTTP faster than by typing.</summary>
    public async Task<(string UserId, string Token)> SessionAsync()
    {
        var json = await Page.EvaluateAsync<string>("() => sessionStorage.getItem('messenger.session')");
        using var session = JsonDocument.Parse(json);
        return (session.RootElement.GetProperty("userId").GetString()!, session.RootElement.GetProperty("token").GetString()!);
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Artifacts, name) });

    /// <summary>
    /// Closes the tab's browser context. Chromium can leave Target.disposeBrowserContext unanswered when it arrives
    /// while the page is navigating (seen after a logout, which reloads the page) until some other target command
    /// comes; so the page is closed first when the context does not close soon, and every wait is bounded.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var closing = Page.Context.CloseAsync();
        if (await Task.WhenAny(closing, Task.Delay(CloseNudgeAfter)) != closing)
        {
            await Page.CloseAsync(new PageCloseOptions { RunBeforeUnload = false }).WaitAsync(CloseLimit);
        }

        await closing.WaitAsync(CloseLimit);
    }

    private void Record(string error)
    {
        lock (errors)
        {
            errors.Add(error);
        }
    }
}
