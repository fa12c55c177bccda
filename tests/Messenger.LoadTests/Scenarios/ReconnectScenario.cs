using System.Diagnostics;
using HdrHistogram;
using Messenger.LoadTests.Cli;
using Messenger.LoadTests.Client;
using Messenger.LoadTests.Metrics;
using Messenger.LoadTests.Protocol;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// <c>reconnect</c>: K users, each in a direct conversation with one of S partners, get one message live, then drop
/// at once (no close handshake); the partners send M messages into each conversation while they are away; all K
/// reconnect at once and sync from their cursors. Counts recovered, lost and duplicate messages and the time from
/// the reconnect to each user's <c>synced</c>.
/// </summary>
public sealed class ReconnectScenario(LoadOptions options) : IScenario
{
    private const int ReceiveBufferSize = 8 * 1024;
    private static readonly TimeSpan SettleAfterDrop = TimeSpan.FromSeconds(1);

    public int SourceAddresses => 1;

    public async Task<IReadOnlyList<RunResult>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var k = options.Users;
        var s = options.Senders;
        var users = await ScenarioSetup.RegisterAsync(context, k + s, cancellationToken);
        var droppers = users[..k];
        var partners = users[k..];
        var requests = droppers.Select((d, i) => (partners[i % s], new[] { d }, ConversationTypes.Direct)).ToArray();
        var ids = await ScenarioSetup.CreateConversationsAsync(context, requests, cancellationToken);
        var members = new Dictionary<string, LoadUser[]>(StringComparer.Ordinal);
        for (var i = 0; i < k; i++)
        {
            members[ids[i]] = [droppers[i], partners[i % s]];
        }

        var warmup = new DeliveryTracker(members);
        var sink = new SwitchableSink(warmup);
        var connections = await ScenarioSetup.ConnectAsync(context, users, sink, ReceiveBufferSize, cancellationToken);
        var partnerConnections = connections[k..].Select(c => c!).ToArray();
        var slots = Enumerable.Range(0, k).Select(i => new SenderSlot(partnerConnections[i % s], ids[i])).ToArray();
        UserConnection?[] reconnected = [];
        try
        {
            // 1. One live message per conversation, so every dropped user has a cursor above 0. Only once the apps are
            // done with the connects: a user counts as online once its gateway has registered it, which goes on after
            // the socket is open (a client that syncs after connecting, as the protocol asks, gets what was stored
            // before that from its sync; this tool's first connections do not sync).
            await IdleWait.UntilQuietAsync(context, cancellationToken);
            // It waits as long as acks and deliveries still come in (a slow machine is late, not lossy), and then the
            // drain time more: what is missing after that is lost.
            var live = await TrafficPhase.RunAsync(
                context, $"{context.Target.Name} live", slots, k, options.Rate, 1, warmup, true, cancellationToken, drainWhileArriving: true);
            if (live.Check.Lost > 0 || warmup.Delivered < k)
            {
                var seen = ResultFactory.FromPhase(context, "warmup", k, options.Rate, 0, live).Problems;
                throw new LoadRunException(
                    $"warm-up: {live.Check.Lost} of {warmup.Acked} acked live messages were not delivered ({k} sent); not a reconnect problem yet: "
                    + string.Join("; ", seen));
            }

            // 2. Drop every user at once.
            foreach (var connection in connections[..k])
            {
                connection!.Abort();
            }

            await Task.Delay(SettleAfterDrop, cancellationToken);

            // 3. Messages while they are away (acks only: nobody is there to receive).
            var away = new DeliveryTracker(members, recordLatency: false);
            sink.Current = away;
            var awaySlots = Enumerable.Repeat(slots, options.Messages).SelectMany(x => x).ToArray();
            var awayPhase = await TrafficPhase.RunAsync(
                context, $"{context.Target.Name} away", awaySlots, awaySlots.Length, options.Rate, 1, away, false, cancellationToken, freezeAtEnd: false);

            // 4. Everyone back at once, syncing from their cursors (once what the away phase set off is done).
            await IdleWait.UntilQuietAsync(context, cancellationToken);
            var recovery = new LongConcurrentHistogram(1, 3_600_000_000, 3);
            var measurement = await Measurement.StartAsync(context, cancellationToken);
            var reconnectAt = Stopwatch.GetTimestamp();
            var synced = 0;
            var failed = 0;
            reconnected = new UserConnection?[k];
            await LiveProgress.RunAsync(
                $"{context.Target.Name} reconnect",
                [
                    new ProgressItem("synced", () => Volatile.Read(ref synced), () => k),
                    new ProgressItem("recovered", () => away.Delivered, () => away.Acked),
                ],
                async () =>
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(TimeSpan.FromSeconds(Math.Max(10, options.DrainSeconds)));
                    await Parallel.ForEachAsync(
                        Enumerable.Range(0, k),
                        new ParallelOptions { MaxDegreeOfParallelism = Math.Min(k, 1024) },
                        async (i, _) =>
                        {
                            try
                            {
                                var connection = await UserConnection.ConnectAsync(
                                    droppers[i], context.Target.WebSocketBaseFor(droppers[i]), context.Connector, sink, ReceiveBufferSize, deadline.Token);
                                reconnected[i] = connection;
                                connection.EnqueueSync(droppers[i].Received.Cursors());
                                await connection.Synced.Task.WaitAsync(deadline.Token);
                                recovery.RecordValue(Math.Max(1, LatencyStamp.MicrosecondsSince(reconnectAt, Stopwatch.GetTimestamp())));
                                Interlocked.Increment(ref synced);
                            }
                            catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or HttpRequestException)
                            {
                                Interlocked.Increment(ref failed);
                            }
                        });
                    return 0;
                });
            var recoverSeconds = Stopwatch.GetElapsedTime(reconnectAt).TotalSeconds;
            away.Freeze();
            var usage = await measurement.FinishAsync();
            var check = away.Check();
            var outcome = new PhaseOutcome(away, check, reconnectAt, usage);
            var recoveryTime = LatencySummary.From(recovery);
            var extras = new Dictionary<string, double>
            {
                ["usersDropped"] = k,
                ["partners"] = s,
                ["messagesWhileAway"] = away.Acked,
                ["recovered"] = check.Expected - check.Lost,
                ["usersSynced"] = synced,
                ["usersFailedToReconnect"] = failed,
                ["recoverSecondsAll"] = Math.Round(recoveryTime.MaxMs / 1000, 3),
                ["reconnectWallSeconds"] = Math.Round(recoverSeconds, 3),
                ["awayPhaseServerCpuSeconds"] = awayPhase.Usage.ServerCpuSeconds ?? -1,
            };
            var problems = new List<string>();
            if (synced < k)
            {
                problems.Add($"{k - synced} users did not get synced in time");
            }

            return [ResultFactory.FromPhase(context, ScenarioNames.Reconnect, k, options.Rate, 0, outcome, extras, recoveryTime, problems, ("user", k))];
        }
        finally
        {
            await ScenarioSetup.CloseAllAsync(connections.Concat(reconnected));
        }
    }
}
