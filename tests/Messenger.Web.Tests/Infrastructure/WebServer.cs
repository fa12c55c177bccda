using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;

namespace Messenger.Web.Tests.Infrastructure;

/// <summary>
/// The standalone host in this process on a loopback port over a data directory of its own. It can be stopped and
/// started again on the same port and data directory, as a server that goes away and comes back.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownLimit = TimeSpan.FromSeconds(20);
    private readonly string dataDir;
    private WebApplication? app;

    private WebServer(string dataDir) => this.dataDir = dataDir;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running host's services, for a test to wait on server state it cannot see over HTTP.</summary>
    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("The server is stopped.");

    public static async Task<WebServer> StartAsync()
    {
        var server = new WebServer(RepoPaths.NewTempDir());
        await server.StartAppAsync("http://127.0.0.1:0");
        return server;
    }

    /// <summary>Stops the host: open WebSockets are closed, and new connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (app is null)
        {
            return;
        }

        // Bounded: a shutdown that hangs fails this test with a clear message instead of holding the whole run.
        using var timeout = new CancellationTokenSource(ShutdownLimit);
        var stopping = app;
        app = null;
        await stopping.StopAsync(timeout.Token).WaitAsync(ShutdownLimit);
        await stopping.DisposeAsync().AsTask().WaitAsync(ShutdownLimit);
    }

    /// <summary>Starts the host again on the same port and data directory.</summary>
    public Task StartAgainAsync() => StartAppAsync(BaseAddress.ToString().TrimEnd('/'));

    public HttpClient CreateHttpClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned up by the system.
        }
    }

    private async Task StartAppAsync(string url)
    {
        var built = StandaloneApp.Build(
            ["--urls", url, "--Messenger:DataDir", dataDir, "--environment", "Testing", "--Logging:LogLevel:Default", "Warning"]);
        await built.StartAsync();
        app = built;
        BaseAddress = new Uri(built.Urls.First());
    }
}
