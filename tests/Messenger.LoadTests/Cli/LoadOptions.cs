using System.Globalization;
using System.Net;
using Messenger.LoadTests.Client;

namespace Messenger.LoadTests.Cli;

/// <summary>Command-line options; every scenario has defaults that match the figures of issue 8.</summary>
public sealed record LoadOptions
{
    /// <summary>Connections per user the connections scenario opens by default (a host may cap it, e.g. at 10).</summary>
    public const int ConnectionsPerUser = 10;

    public required string Scenario { get; init; }

    public Uri Url { get; init; } = new("http://127.0.0.1:8080");

    public int? ServerPid { get; init; }

    /// <summary>Gateways to spread the WebSockets over, round robin by user (else the WebSockets go to <see cref="Url"/>).</summary>
    public IReadOnlyList<Uri> WebSocketUrls { get; init; } = [];

    /// <summary>The sidecar double's admin endpoint: its operation counts per measured phase.</summary>
    public Uri? CountersUrl { get; init; }

    public int Users { get; init; }

    public double Rate { get; init; }

    public IReadOnlyList<double> Rates { get; init; } = [];

    public double DurationSeconds { get; init; }

    public int Connections { get; init; }

    public int Senders { get; init; }

    public int Messages { get; init; }

    public double DrainSeconds { get; init; } = 15;

    public double WarmupSeconds { get; init; } = 2;

    public bool Baseline { get; init; }

    public bool BaselineOnly { get; init; }

    public Uri? BaselineUrl { get; init; }

    public int? BaselinePid { get; init; }

    public string? Out { get; init; }

    public string? Chart { get; init; }

    public int RegisterParallelism { get; init; } = 8;

    public int ConnectParallelism { get; init; } = 64;

    public int SourceAddresses { get; init; }

    public int TextLength { get; init; } = 64;

    public int RelayPort { get; init; }

    public double RelayLifetimeSeconds { get; init; } = 3600;

    public bool RunsMessenger => !BaselineOnly;

    public bool RunsRelay => Baseline || BaselineOnly;

    public static string Usage => """
        usage: Messenger.LoadTests <scenario> [options]
          scenarios: pairs | group | connections | reconnect | sweep | relay
          --url http://127.0.0.1:8080   messenger host (loopback only)
          --server-pid N                pid of the messenger host, for its CPU and RSS
          --ws-urls URL,URL             gateways to open the WebSockets on, round robin by user (default --url)
          --counters-url URL            the sidecar double's admin endpoint: its operations per message of each phase
          --users N                     pairs: users (even), group: members, reconnect: users that drop,
                                        connections: users to spread the connections over (default C/10)
          --rate R                      total messages per second (pairs, group, reconnect)
          --rates a,b,c                 offered rates of a sweep
          --duration D                  seconds of sending (pairs, group, sweep step) or holding (connections)
          --connections C               idle WebSockets to open (connections)
          --senders S                   group: members that send; reconnect: partners that send while away
          --messages M                  reconnect: messages per conversation while the users are away
          --drain S                     seconds to wait for the last deliveries (default 15)
          --warmup S                    seconds of unmeasured traffic at the same rate first (default 2)
          --baseline                    also run the scenario against the bare relay, and print ratios
          --baseline-only               run only against the relay
          --baseline-url URL            an already running relay (`relay` subcommand), else one in-process
          --baseline-pid N              pid of that relay, for its CPU and RSS
          --out result.json             JSON result file
          --chart sweep.png|svg         latency chart of a sweep
          --register-parallel N         concurrent registrations (default 8; conversations: at least 16)
          --connect-parallel N          concurrent WebSocket handshakes (default 64)
          --source-addresses N          bind client sockets to 127.0.0.1..N
          --text-length N               characters of message text (default 64)
          relay: --port P (default 0), --lifetime S (default 3600)
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !ScenarioNames.All.Contains(args[0]))
        {
            throw new LoadRunException(Usage);
        }

        var scenario = args[0];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] flagNames = ["--baseline", "--baseline-only"];
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (flagNames.Contains(arg))
            {
                flags.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                values[arg] = args[++i];
            }
            else
            {
                throw new LoadRunException($"unknown or incomplete option '{arg}'\n{Usage}");
            }
        }

        var defaults = Defaults(scenario);
        var options = new LoadOptions
        {
            Scenario = scenario,
            Url = Loopback(Get(values, "--url") ?? "http://127.0.0.1:8080"),
            ServerPid = Int(values, "--server-pid"),
            WebSocketUrls = Get(values, "--ws-urls") is { } wsUrls ? wsUrls.Split(',').Select(Loopback).ToArray() : [],
            CountersUrl = Get(values, "--counters-url") is { } countersUrl ? Loopback(countersUrl) : null,
            Users = Int(values, "--users") ?? (scenario == ScenarioNames.Connections
                ? Math.Max(2, ((Int(values, "--connections") ?? 10_000) + ConnectionsPerUser - 1) / ConnectionsPerUser)
                : defaults.Users),
            Rate = Double(values, "--rate") ?? defaults.Rate,
            Rates = Get(values, "--rates") is { } rates
                ? rates.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray()
                : [1000, 2000, 4000, 8000],
            DurationSeconds = Double(values, "--duration") ?? defaults.DurationSeconds,
            Connections = Int(values, "--connections") ?? 10_000,
            Senders = Int(values, "--senders") ?? defaults.Senders,
            Messages = Int(values, "--messages") ?? 5,
            DrainSeconds = Double(values, "--drain") ?? 15,
            WarmupSeconds = Double(values, "--warmup") ?? 2,
            Baseline = flags.Contains("--baseline"),
            BaselineOnly = flags.Contains("--baseline-only"),
            BaselineUrl = Get(values, "--baseline-url") is { } baselineUrl ? Loopback(baselineUrl) : null,
            BaselinePid = Int(values, "--baseline-pid"),
            Out = Get(values, "--out"),
            Chart = Get(values, "--chart"),
            RegisterParallelism = Int(values, "--register-parallel") ?? 8,
            ConnectParallelism = Int(values, "--connect-parallel") ?? 64,
            SourceAddresses = Int(values, "--source-addresses") ?? 0,
            TextLength = Int(values, "--text-length") ?? 64,
            RelayPort = Int(values, "--port") ?? 0,
            RelayLifetimeSeconds = Double(values, "--lifetime") ?? 3600,
        };
        options.Validate();
        return options;
    }

    private void Validate()
    {
        Require(Users is >= 2 and <= 100_000, "--users must be 2..100000");
        Require(Scenario != ScenarioNames.Pairs || Users % 2 == 0, "pairs needs an even --users");
        Require(Rate is > 0 and <= 1_000_000, "--rate must be in (0, 1000000]");
        Require(Rates.Count > 0 && Rates.All(r => r is > 0 and <= 1_000_000), "--rates must be positive");
        Require(DurationSeconds is > 0 and <= 3600, "--duration must be in (0, 3600] seconds");
        Require(DrainSeconds is >= 0 and <= 600, "--drain must be in [0, 600] seconds");
        Require(WarmupSeconds is >= 0 and <= 600, "--warmup must be in [0, 600] seconds");
        Require(Connections is >= 1 and <= 1_000_000, "--connections must be 1..1000000");
        Require(Senders >= 1 && Senders <= Users, "--senders must be 1..users");
        Require(Messages is >= 1 and <= 10_000, "--messages must be 1..10000");
        Require(RegisterParallelism is >= 1 and <= 256, "--register-parallel must be 1..256");
        Require(ConnectParallelism is >= 1 and <= 4096, "--connect-parallel must be 1..4096");
        Require(TextLength is >= 16 and <= 4096, "--text-length must be 16..4096");
        Require(RelayLifetimeSeconds is > 0 and <= 86_400, "--lifetime must be in (0, 86400] seconds");
        Require(!(Baseline && BaselineOnly), "--baseline and --baseline-only exclude each other");
    }

    private static (int Users, double Rate, double DurationSeconds, int Senders) Defaults(string scenario) => scenario switch
    {
        ScenarioNames.Group => (500, 20, 30, 10),
        ScenarioNames.Connections => (100, 1, 60, 1),
        ScenarioNames.Reconnect => (1000, 2000, 10, 100),
        ScenarioNames.Sweep => (1000, 1000, 10, 1),
        _ => (1000, 8000, 30, 1),
    };

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new LoadRunException(message);
        }
    }

    /// <summary>Only loopback targets: this tool must never load another machine.</summary>
    private static Uri Loopback(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var host = uri.Host == "localhost" ? "127.0.0.1" : uri.Host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address) || !IPAddress.IsLoopback(address) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new LoadRunException($"only http:// loopback targets are allowed, not {url}");
        }

        return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
    }

    private static string? Get(Dictionary<string, string> values, string key) => values.GetValueOrDefault(key);

    private static int? Int(Dictionary<string, string> values, string key) =>
        Get(values, key) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    private static double? Double(Dictionary<string, string> values, string key) =>
        Get(values, key) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;
}
