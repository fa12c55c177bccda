using System.Collections.Concurrent;
using System.Diagnostics;
using Messenger.LoadTests.Cli;
using Messenger.LoadTests.Client;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// <c>connections</c>: C idle WebSockets over U users, from several 127.0.0.x source addresses, held for D seconds;
/// reports the server's RSS growth per connection and checks at the end that every connection still answers a ping.
/// </summary>
public sealed class ConnectionsScenario(LoadOptions options) : IScenario
{
    private const int ReceiveBufferSize = 1024;
    private const int ConnectionsPerSourceAddress = 20_000;
    private const int FileDescriptorHeadroom = 512;
    private static readonly TimeSpan PongWait = TimeSpan.FromSeconds(15);

    public int SourceAddresses => options.SourceAddresses > 0
        ? options.SourceAddresses
        : Math.Max(1, (options.Connections + ConnectionsPerSourceAddress - 1) / ConnectionsPerSourceAddress);

    public async Task<IReadOnlyList<RunResult>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var count = options.Connections;
        CheckDescriptorLimits(context, count);
        var users = await ScenarioSetup.RegisterAsync(context, Math.Min(options.Users, count), cancellationToken);
        var owners = Enumerable.Range(0, count).Select(i => users[i % users.Length]).ToArray();
        var tracker = new DeliveryTracker(new Dictionary<string, LoadUser[]>());

        var measurement = await Measurement.StartAsync(context, cancellationToken);
        var rssBefore = context.Target.Pid is { } pid ? ProcessStats.RssBytes(pid) : null;
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var openStarted = Stopwatch.GetTimestamp();
        var connections = await ScenarioSetup.ConnectAsync(context, owners, tracker, ReceiveBufferSize, cancellationToken, failures);
        var openSeconds = Stopwatch.GetElapsedTime(openStarted).TotalSeconds;
        try
        {
            var opened = connections.Count(c => c is not null);
            var rssAfterOpen = context.Target.Pid is { } p1 ? ProcessStats.RssBytes(p1) : null;
            var holdUntil = Stopwatch.GetTimestamp() + (long)(options.DurationSeconds * Stopwatch.Frequency);
            await LiveProgress.RunAsync(
                $"{context.Target.Name} hold",
                [
                    new ProgressItem("seconds", () => options.DurationSeconds - Math.Max(0, (holdUntil - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency), () => options.DurationSeconds),
                    new ProgressItem("open", () => connections.Count(c => c is { IsOpen: true }), () => opened),
                ],
                async () =>
                {
                    var remaining = holdUntil - Stopwatch.GetTimestamp();
                    if (remaining > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency), cancellationToken);
                    }

                    return 0;
                });

            var rssHeld = context.Target.Pid is { } p2 ? ProcessStats.RssBytes(p2) : null;
            var held = connections.Count(c => c is { IsOpen: true });
            var pongs = await PingAllAsync(connections, tracker, held, cancellationToken);
            var usage = await measurement.FinishAsync();

            var extras = new Dictionary<string, double>
            {
                ["connections"] = count,
                ["opened"] = opened,
                ["failedToOpen"] = count - opened,
                ["heldAtEnd"] = held,
                ["answeredPing"] = pongs,
                ["openSeconds"] = Math.Round(openSeconds, 2),
                ["sourceAddresses"] = context.Connector.SourceAddressCount,
            };
            if (rssBefore is { } before && rssHeld is { } after && opened > 0)
            {
                extras["serverRssBeforeBytes"] = before;
                extras["serverRssAfterOpenBytes"] = rssAfterOpen ?? 0;
                extras["serverRssHeldBytes"] = after;
                extras["serverRssPerConnectionBytes"] = Math.Round((after - before) / (double)opened);
            }

            var problems = new List<string>();
            if (opened < count)
            {
                problems.Add($"{count - opened} connections failed to open");
            }

            if (held < opened)
            {
                problems.Add($"{opened - held} connections dropped while idle");
            }

            if (pongs < held)
            {
                problems.Add($"{held - pongs} connections did not answer a ping");
            }

            problems.AddRange(failures.Select(pair => $"  {pair.Value} x {pair.Key}"));
            var outcome = new PhaseOutcome(tracker, new DeliveryCheck(0, 0, 0), openStarted, usage);
            return [ResultFactory.FromPhase(context, ScenarioNames.Connections, users.Length, 0, options.DurationSeconds, outcome, extras, moreProblems: problems)];
        }
        finally
        {
            await ScenarioSetup.CloseAllAsync(connections);
        }
    }

    private static async Task<long> PingAllAsync(UserConnection?[] connections, DeliveryTracker tracker, int held, CancellationToken cancellationToken)
    {
        var before = tracker.Pongs;
        foreach (var connection in connections)
        {
            if (connection is { IsOpen: true })
            {
                connection.EnqueuePing();
            }
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(PongWait.TotalSeconds * Stopwatch.Frequency);
        while (tracker.Pongs - before < held && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }

        return tracker.Pongs - before;
    }

    private static void CheckDescriptorLimits(ScenarioContext context, int count)
    {
        var self = ProcessStats.OpenFilesLimit(ProcessStats.CurrentPid) ?? long.MaxValue;
        var inProcess = context.Target.InProcess;
        var needed = (inProcess ? 2L * count : count) + FileDescriptorHeadroom;
        if (self < needed)
        {
            throw new LoadRunException(
                $"{count} connections need about {needed} open files in this process{(inProcess ? " (client and in-process relay)" : string.Empty)}, " +
                $"but its limit is {self}; raise it (ulimit -n) or open fewer connections");
        }

        if (context.Target.Pid is { } pid && pid != ProcessStats.CurrentPid && ProcessStats.OpenFilesLimit(pid) is { } server && server < count + FileDescriptorHeadroom)
        {
            throw new LoadRunException($"the server (pid {pid}) may open only {server} files, fewer than {count} connections need");
        }
    }
}
