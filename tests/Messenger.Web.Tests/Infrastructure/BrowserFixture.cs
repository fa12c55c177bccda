using Microsoft.Playwright;

namespace Messenger.Web.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (<c>apt-get install chromium</c>) driven by Playwright. Playwright's own browser download is never
/// used: <see cref="ExecutablePath"/> points at the system browser (override with <c>MESSENGER_CHROMIUM</c>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ExecutablePath => Environment.GetEnvironmentVariable("MESSENGER_CHROMIUM") is { Length: > 0 } path ? path : DefaultExecutablePath;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No browser at {ExecutablePath}: install it with `apt-get install -y chromium`.");
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (its own sessionStorage): one person.</summary>
    public async Task<ChatPage> NewPersonAsync(Uri baseAddress, int width = 1100, int height = 760)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new ChatPage(page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        playwright?.Dispose();
    }
}
