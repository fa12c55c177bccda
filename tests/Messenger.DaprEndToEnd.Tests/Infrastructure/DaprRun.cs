using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Messenger.Media.Tests.Infrastructure;
using Messenger.Push.Tests;
using Messenger.Web.Tests.Infrastructure;

namespace Messenger.DaprEndToEnd.Tests.Infrastructure;

/// <summary>
/// One run of the repository's dapr.yaml under the sidecar double's runner, started once for the whole suite:
/// Azurite and a fake FCM first, then <c>dotnet Messenger.Sidecar.dll up --file dapr.yaml --entry edge --free-ports</c>
/// on a copy of the run file (<see cref="RunDirectory"/>), waiting for its <c>ready</c> line. The apps must be built
/// (they start with <c>dotnet run --no-build</c>). Settings every app gets through the runner's environment: rate
/// limits off (bounded loads), a short gateway lease and presence sweep (so that a dead gateway's users go offline
/// in seconds), push aimed at the fake FCM, spans recorded and JSON log lines with their trace ids (<see
/// cref="AppLogLine"/>). Everything the runner and the apps write goes to
/// <c>TestResults/dapr-e2e/run.log</c>, and the lines of each test into its output, except the apps' Debug lines, which
/// only the tests read (<see cref="LinesSince"/>).
/// </summary>
public sealed partial class DaprRun : IAsyncLifetime
{
    public static readonly TimeSpan GatewayLease = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan PresenceRenewInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan PresenceSweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(150);
    private const int MaxKeptLines = 50_000;
    private readonly ConcurrentQueue<(long Index, string Line, bool Debug)> lines = new();
    private readonly AzuriteFixture azurite = new();
    private readonly HttpClient admin = new() { Timeout = TimeSpan.FromSeconds(90) };
    private long lineCount;
    private StreamWriter? logFile;
    private RunDirectory? runDirectory;
    private Process? runner;
    private Task? stderrPump;

    private FakeFcmServer Fcm { get; set; } = null!;

    public AzuriteFixture Azurite => azurite;

    /// <summary>The edge: the web client, the HTTP API, media and the WebSocket (spread over both gateways).</summary>
    public Uri Edge { get; private set; } = null!;

    public Uri Admin { get; private set; } = null!;

    /// <summary>The HTTP API (and WebSockets) through the edge.</summary>
    public ApiClient Api => new(Edge);

    /// <summary>Straight at gateway instance <paramref name="n"/> (1 or 2), bypassing the edge.</summary>
    public ApiClient Gateway(int n) => new(GatewayUrl(n));

    public Uri GatewayUrl(int n) => new(Apps().Single(a => a.Instance == $"gateway-{n}").Url);

    public IReadOnlyList<RunApp> Apps() => apps;

    private IReadOnlyList<RunApp> apps = [];

    /// <summary>A position in the run's output, for <see cref="LinesSince"/>.</summary>
    public long Mark() => Interlocked.Read(ref lineCount);

    /// <summary>
    /// The run's lines from <paramref name="mark"/> on; with <paramref name="debug"/> false, without the apps' Debug lines
    /// (one per routed request and per send, for <c>TraceTests</c>: thousands under the fault tests' loads).
    /// </summary>
    public IReadOnlyList<string> LinesSince(long mark, bool debug = true) =>
        lines.Where(l => l.Index >= mark && (debug || !l.Debug)).Select(l => l.Line).ToList();

    /// <summary><c>Messenger__Telemetry__Tracing</c>: a tracer without an exporter, so the apps' spans exist and their ids reach the log lines.</summary>
    private const string TracingKey = "Messenger__Telemetry__Tracing";

    /// <summary><c>Messenger__Telemetry__JsonLogs</c>: the console's JSON lines, scopes (trace id, request path) included.</summary>
    private const string JsonLogsKey = "Messenger__Telemetry__JsonLogs";

    /// <summary>"Request matched endpoint …", one Debug line per routed request, logged inside the request's span.</summary>
    private const string RoutingLogLevelKey = "Logging__LogLevel__Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware";

    /// <summary>The gateway's connection lines at Debug: "Connection … sends message …", logged inside the send's own span.</summary>
    private const string ConnectionLogLevelKey = "Logging__LogLevel__Messenger.Gateway.Connections.ClientConnection";

    /// <summary>The run's app API token (sidecar to app).</summary>
    public const string AppApiToken = "e2e-app-api-token";

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        var artifacts = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "TestResults", "dapr-e2e")).FullName;
        logFile = new StreamWriter(Path.Combine(artifacts, "run.log")) { AutoFlush = true };
        foreach (var app in new[] { "Messenger.Gateway.DaprHost", "Messenger.Messages.DaprHost", "Messenger.Media.DaprHost", "Messenger.Push.DaprHost", "Messenger.Edge" })
        {
            var dll = Path.Combine(RepoPaths.Root, "apps", app, "bin", Configuration, Framework, app + ".dll");
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build Messenger.sln).");
            }
        }

        await azurite.InitializeAsync();
        Fcm = await FakeFcmServer.StartAsync();
        runDirectory = RunDirectory.Create(RepoPaths.Root, azurite.ConnectionString);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     typeof(Messenger.Sidecar.FreePort).Assembly.Location, "up", "--file", runDirectory.RunFile, "--entry", "edge", "--free-ports",
                     "--stop-on-stdin-close", "--ready-timeout", ReadyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Settings().Concat(PushSettings()))
        {
            start.Environment[key] = value;
        }

        // As `APP_API_TOKEN=… dapr run -f .`: every app and its sidecar get the token, so every sidecar call of the
        // run goes through the apps' guard of /dapr/*, /events/* and /actors/*.
        start.Environment["APP_API_TOKEN"] = AppApiToken;

        runner = Process.Start(start) ?? throw new InvalidOperationException("The runner did not start.");
        stderrPump = PumpAsync(runner.StandardError);
        using var timeout = new CancellationTokenSource(ReadyTimeout + TimeSpan.FromSeconds(30));
        try
        {
            while (await runner.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                Keep("runner: " + line);
                if (ReadyLine().Match(line) is { Success: true } ready)
                {
                    Edge = new Uri(ready.Groups["url"].Value);
                    break;
                }

                if (AdminLine().Match(line) is { Success: true } adminLine)
                {
                    Admin = new Uri(adminLine.Groups["url"].Value);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The run was not ready within {ReadyTimeout + TimeSpan.FromSeconds(30)}:\n{Tail()}");
        }

        if (Edge is null)
        {
            throw new InvalidOperationException($"The runner ended before it was ready:\n{Tail()}");
        }

        _ = DrainAsync(runner.StandardOutput);
        await RefreshAppsAsync();
        Keep($"fixture: ready in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    public async Task DisposeAsync()
    {
        if (runner is not null)
        {
            runner.StandardInput.Close();
            _ = Kill(runner.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await runner.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                runner.Kill(entireProcessTree: true);
                await runner.WaitForExitAsync();
            }

            if (stderrPump is not null)
            {
                await stderrPump;
            }

            runner.Dispose();
        }

        if (Fcm is not null)
        {
            await Fcm.DisposeAsync();
        }

        await azurite.DisposeAsync();
        runDirectory?.Dispose();
        admin.Dispose();
        if (logFile is not null)
        {
            await logFile.DisposeAsync();
        }
    }

    /// <summary>SIGKILL to the app instance's process group (its sidecar stays up), as <c>kill -9</c>.</summary>
    public Task<RunApp> KillAsync(string instance) => AdminPostAsync($"/apps/{instance}/kill");

    /// <summary>Starts the app instance again; returns once it answers its health check.</summary>
    public Task<RunApp> StartAsync(string instance) => AdminPostAsync($"/apps/{instance}/start");

    /// <summary>Starts the instance again if it is not running (a fault test's cleanup).</summary>
    public async Task EnsureRunningAsync(string instance)
    {
        await RefreshAppsAsync();
        if (!apps.Single(a => a.Instance == instance).Running)
        {
            await StartAsync(instance);
        }
    }

    /// <summary>The broker's switches (<c>PUT /broker</c>): redelivery share, concurrent shuffled deliveries, random delay.</summary>
    public async Task SetBrokerAsync(double redeliveryRate, int? concurrency, int maxDelayMilliseconds)
    {
        using var response = await admin.PutAsJsonAsync(new Uri(Admin, "/broker"), new { redeliveryRate, concurrency, maxDelayMilliseconds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The FCM messages the push app sent to <paramref name="deviceToken"/> so far (the <c>message</c> of each request).</summary>
    public IReadOnlyList<JsonNode> PushesTo(string deviceToken) =>
        Fcm.Sends.Select(s => JsonNode.Parse(s.Body)!["message"]!).Where(m => (string?)m["token"] == deviceToken).ToList();

    /// <summary>Operation counters per app id (<c>GET /counters</c>).</summary>
    public async Task<JsonElement> CountersAsync() => await admin.GetFromJsonAsync<JsonElement>(new Uri(Admin, "/counters"));

    private async Task<RunApp> AdminPostAsync(string path)
    {
        Keep($"fixture: POST {path}");
        using var response = await admin.PostAsync(new Uri(Admin, path), null);
        var body = await response.Content.ReadAsStringAsync();
        Keep($"fixture: POST {path} -> {(int)response.StatusCode} {body}");
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        await RefreshAppsAsync();
        return JsonSerializer.Deserialize<RunApp>(body, JsonSerializerOptions.Web)!;
    }

    private async Task RefreshAppsAsync() =>
        apps = (await admin.GetFromJsonAsync<List<RunApp>>(new Uri(Admin, "/apps"), JsonSerializerOptions.Web))!;

    private static Dictionary<string, string> Settings() => new()
    {
        ["DOTNET_NOLOGO"] = "1",
        ["Messenger__RateLimits__Enabled"] = "false",
        ["Messenger__Dapr__GatewayLease"] = GatewayLease.ToString("c", CultureInfo.InvariantCulture),
        ["Messenger__Gateway__PresenceRenewInterval"] = PresenceRenewInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Messenger__Presence__Interval"] = PresenceSweepInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Messenger"] = "Information",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",

        // The apps record spans and write JSON lines whose scopes carry the trace id, with one line per routed request
        // (its path in ASP.NET Core's request scope) and one per WebSocket send: TraceTests reads a message's trace off
        // them. The runner's own lines stay in the simple format above.
        [TracingKey] = "true",
        [JsonLogsKey] = "true",
        [RoutingLogLevelKey] = "Debug",
        [ConnectionLogLevelKey] = "Debug",
    };

    /// <summary>The push app's FCM settings, pointing at the fake (every app gets them; only push reads them).</summary>
    private Dictionary<string, string> PushSettings() => new()
    {
        ["Messenger__Push__Fcm__ProjectId"] = FakeFcmServer.ProjectId,
        ["Messenger__Push__Fcm__CredentialsFile"] = Fcm.CredentialsFile,
        ["Messenger__Push__Fcm__Endpoint"] = Fcm.Endpoint,
        ["Messenger__Push__Fcm__RetryBaseDelay"] = "00:00:00.010",
        ["Messenger__Push__Fcm__CollapseWindow"] = "00:00:00",
    };

    private string Tail() => string.Join('\n', lines.TakeLast(200).Select(l => l.Line));

    private void Keep(string line)
    {
        var index = Interlocked.Increment(ref lineCount) - 1;
        var debug = AppLogLine.TryParse(line) is { Level: AppLogLine.DebugLevel };
        lines.Enqueue((index, line, debug));
        while (lines.Count > MaxKeptLines)
        {
            lines.TryDequeue(out _);
        }

        if (debug)
        {
            return;
        }

        lock (lines)
        {
            logFile?.WriteLine(line);
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            Keep(line);
        }
    }

    private async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            Keep("runner: " + line);
        }
    }

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static string Framework => new DirectoryInfo(AppContext.BaseDirectory).Name;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^ready (?<url>\S+)$")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"^admin (?<url>\S+)$")]
    private static partial Regex AdminLine();
}
