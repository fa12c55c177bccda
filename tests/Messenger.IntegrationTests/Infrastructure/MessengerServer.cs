using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messenger.IntegrationTests.Infrastructure;

/// <summary>
/// The standalone host on a loopback port over a data directory of its own, optionally with a second gateway
/// instance on another port in front of the same backend.
/// </summary>
public sealed class MessengerServer : IAsyncDisposable
{
    private readonly List<WebApplication> apps = [];

    private MessengerServer(string dataDir) => DataDir = dataDir;

    public string DataDir { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri? SecondGatewayAddress { get; private set; }

    public IServiceProvider Services => apps[0].Services;

    public static async Task<MessengerServer> StartAsync(string? dataDir = null, bool secondGateway = false, params string[] settings)
    {
        var server = new MessengerServer(dataDir ?? TempDir.Create());
        await server.StartAppsAsync(secondGateway, settings);
        return server;
    }

    public HttpClient CreateHttpClient(string? token = null, bool secondGateway = false)
    {
        var client = new HttpClient { BaseAddress = secondGateway ? SecondGatewayAddress : BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = apps.Count - 1; i >= 0; i--)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await apps[i].StopAsync(timeout.Token);
            await apps[i].DisposeAsync();
        }

        apps.Clear();
    }

    private async Task StartAppsAsync(bool secondGateway, string[] settings)
    {
        string[] common = ["--environment", "Testing", "--Logging:LogLevel:Default", "Warning", .. settings];
        var main = StandaloneApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Messenger:DataDir", DataDir, "--Messenger:Gateway:InstanceId", "gw1", .. common]);
        await main.StartAsync();
        apps.Add(main);
        BaseAddress = new Uri(main.Urls.First());
        if (secondGateway)
        {
            var key = main.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Messenger:Auth:SigningKey"]!;
            var extra = StandaloneApp.BuildExtraGateway(
                main.Services,
                ["--urls", "http://127.0.0.1:0", "--Messenger:Gateway:InstanceId", "gw2", "--Messenger:Auth:SigningKey", key, .. common]);
            await extra.StartAsync();
            apps.Add(extra);
            SecondGatewayAddress = new Uri(extra.Urls.First());
        }
    }
}
