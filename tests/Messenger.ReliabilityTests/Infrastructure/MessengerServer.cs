using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.ReliabilityTests.Infrastructure;

/// <summary>The standalone host in this process on 127.0.0.1 port 0 over a data directory of its own.</summary>
public sealed class MessengerServer : IAsyncDisposable
{
    private WebApplication? app;
    private WebApplication? extra;

    private MessengerServer(string dataDir) => DataDir = dataDir;

    public string DataDir { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    /// <summary>A second gateway instance ("gw2") in front of the same backend, when started with one.</summary>
    public Uri? SecondGatewayAddress { get; private set; }

    /// <summary>Starts a host; <paramref name="settings"/> are command-line pairs such as <c>--Messenger:GatewayLease 00:00:01</c>.</summary>
    public static async Task<MessengerServer> StartAsync(string? dataDir = null, params string[] settings)
    {
        var server = new MessengerServer(dataDir ?? TempDir.Create());
        server.app = StandaloneApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Messenger:DataDir", server.DataDir, "--Messenger:Gateway:InstanceId", "gw1",
            "--environment", "Testing", "--Logging:LogLevel:Default", "Warning", .. settings,
        ]);
        await server.app.StartAsync();
        server.BaseAddress = new Uri(server.app.Urls.First());
        return server;
    }

    /// <summary>Starts a host and a second gateway "gw2" on its own port with settings of its own.</summary>
    public static async Task<MessengerServer> StartWithSecondGatewayAsync(string[] settings, string[] secondGatewaySettings)
    {
        var server = await StartAsync(settings: settings);
        var key = server.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Messenger:Auth:SigningKey"]!;
        server.extra = StandaloneApp.BuildExtraGateway(
            server.Services,
        [
            "--urls", "http://127.0.0.1:0", "--Messenger:Gateway:InstanceId", "gw2", "--Messenger:Auth:SigningKey", key,
            "--environment", "Testing", "--Logging:LogLevel:Default", "Warning", .. secondGatewaySettings,
        ]);
        await server.extra.StartAsync();
        server.SecondGatewayAddress = new Uri(server.extra.Urls.First());
        return server;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (extra is not null)
        {
            await extra.StopAsync(timeout.Token);
            await extra.DisposeAsync();
            extra = null;
        }

        if (app is null)
        {
            return;
        }

        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        app = null;
    }
}
