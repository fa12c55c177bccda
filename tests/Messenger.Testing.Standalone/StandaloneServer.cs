using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Testing;

/// <summary>
/// The standalone host in this process on a loopback port over a data directory, optionally with a second gateway
/// instance on another port in front of the same backend. It can be stopped and started again on the same ports and
/// data directory, as a server that goes away and comes back. Shutdown is bounded: a stop that hangs fails the test
/// with a <see cref="TimeoutException"/> instead of holding the whole run.
/// </summary>
public sealed class StandaloneServer : IAsyncDisposable
{
    public const string MainInstanceId = "gw1";
    public const string SecondInstanceId = "gw2";
    private const string AnyLoopbackPort = "http://127.0.0.1:0";
    private const string SigningKeySetting = "Messenger:Auth:SigningKey";
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ShutdownLimit = TimeSpan.FromSeconds(20);
    private readonly StandaloneServerOptions options;
    private readonly bool ownsDataDir;
    private WebApplication? main;
    private WebApplication? second;

    private StandaloneServer(StandaloneServerOptions options)
    {
        this.options = options;
        ownsDataDir = options.DataDir is null;
        DataDir = options.DataDir ?? TempDirectory.Create();
    }

    public string DataDir { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The second gateway instance, when started with one.</summary>
    public Uri? SecondGatewayAddress { get; private set; }

    /// <summary>The running host's services, for a test to reach or wait on server state it cannot see over HTTP.</summary>
    public IServiceProvider Services => main?.Services ?? throw new InvalidOperationException("The server is stopped.");

    /// <summary>The second gateway instance's services, when it runs.</summary>
    public IServiceProvider? SecondGatewayServices => second?.Services;

    /// <summary>Starts a host with gateway instance id "gw1" over <paramref name="dataDir"/> (a fresh one when null).</summary>
    public static Task<StandaloneServer> StartAsync(string? dataDir = null, params string[] settings) =>
        StartAsync(new StandaloneServerOptions { DataDir = dataDir, Settings = settings });

    /// <summary>Starts a host ("gw1") and a second gateway ("gw2") on its own port, each with settings of its own.</summary>
    public static Task<StandaloneServer> StartWithSecondGatewayAsync(string[] settings, string[] secondGatewaySettings) =>
        StartAsync(new StandaloneServerOptions { Settings = settings, SecondGatewaySettings = secondGatewaySettings });

    public static async Task<StandaloneServer> StartAsync(StandaloneServerOptions options)
    {
        var server = new StandaloneServer(options);
        await server.StartAppsAsync(AnyLoopbackPort, AnyLoopbackPort);
        return server;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The HTTP API (and WebSockets) of the main gateway.</summary>
    public ApiClient Api => new(BaseAddress);

    /// <summary>The HTTP API (and WebSockets) of the second gateway instance.</summary>
    public ApiClient SecondGatewayApi => new(SecondGatewayAddress ?? throw new InvalidOperationException("The server has no second gateway."));

    public HttpClient CreateHttpClient(string? token = null) => Api.Http(token);

    /// <summary>Stops the host: open WebSockets are closed, and new connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        var (stoppingSecond, stoppingMain) = (second, main);
        (second, main) = (null, null);
        try
        {
            await StopAppAsync(stoppingSecond);
        }
        finally
        {
            await StopAppAsync(stoppingMain);
        }
    }

    /// <summary>Starts the host (and the second gateway, if any) again on the same ports and data directory.</summary>
    public Task StartAgainAsync()
    {
        if (main is not null)
        {
            throw new InvalidOperationException("The server is running.");
        }

        return StartAppsAsync(Url(BaseAddress), SecondGatewayAddress is null ? AnyLoopbackPort : Url(SecondGatewayAddress));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (ownsDataDir)
        {
            TempDirectory.TryDelete(DataDir);
        }
    }

    private static string Url(Uri address) => address.ToString().TrimEnd('/');

    private static async Task StopAppAsync(WebApplication? app)
    {
        if (app is null)
        {
            return;
        }

        using var grace = new CancellationTokenSource(ShutdownGrace);
        await app.StopAsync(grace.Token).WaitAsync(ShutdownLimit);
        await app.DisposeAsync().AsTask().WaitAsync(ShutdownLimit);
    }

    private async Task StartAppsAsync(string mainUrl, string secondUrl)
    {
        string[] common = ["--environment", "Testing", "--Logging:LogLevel:Default", "Warning"];
        string[] instance = options.InstanceId is null ? [] : ["--Messenger:Gateway:InstanceId", options.InstanceId];
        var built = StandaloneApp.Build(["--urls", mainUrl, "--Messenger:DataDir", DataDir, .. instance, .. common, .. options.Settings], options.Services);
        await built.StartAsync();
        main = built;
        BaseAddress = new Uri(built.Urls.First());
        if (options.SecondGatewaySettings is null)
        {
            return;
        }

        var key = built.Services.GetRequiredService<IConfiguration>()[SigningKeySetting]!;
        var extra = StandaloneApp.BuildExtraGateway(
            built.Services,
            ["--urls", secondUrl, "--Messenger:Gateway:InstanceId", SecondInstanceId, "--" + SigningKeySetting, key, .. common, .. options.SecondGatewaySettings]);
        await extra.StartAsync();
        second = extra;
        SecondGatewayAddress = new Uri(extra.Urls.First());
    }
}
