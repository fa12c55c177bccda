namespace Messenger.LoadTests.Reporting;

/// <summary>Messenger / relay ratios for runs of the same scenario at the same offered rate.</summary>
public static class RatioCalculator
{
    public static IReadOnlyList<RatioRow> Compute(IReadOnlyList<RunResult> runs, string messengerName, string relayName)
    {
        var rows = new List<RatioRow>();
        foreach (var messenger in runs.Where(r => r.Target == messengerName))
        {
            var relay = runs.FirstOrDefault(r => r.Target == relayName && r.Scenario == messenger.Scenario && r.OfferedRate == messenger.OfferedRate);
            if (relay is null)
            {
                continue;
            }

            if (messenger.Scenario == Cli.ScenarioNames.Connections)
            {
                rows.Add(Row("server RSS bytes / connection", messenger, relay, r => r.Extras.TryGetValue("serverRssPerConnectionBytes", out var v) ? v : null));
                rows.Add(Row("server CPU s (open + hold)", messenger, relay, r => r.ServerCpuSeconds));
                continue;
            }

            rows.Add(Row("throughput msg/s", messenger, relay, r => r.ThroughputPerSecond));
            rows.Add(Row("p50 ms", messenger, relay, r => r.Latency.P50Ms));
            rows.Add(Row("p99 ms", messenger, relay, r => r.Latency.P99Ms));
            rows.Add(Row("server CPU us / delivery", messenger, relay, r => r.ServerCpuMicrosPerDelivery));
        }

        return rows;
    }

    private static RatioRow Row(string figure, RunResult messenger, RunResult relay, Func<RunResult, double?> value)
    {
        var m = value(messenger);
        var r = value(relay);
        var ratio = m is { } mv && r is { } rv && rv != 0 ? Math.Round(mv / rv, 2) : (double?)null;
        return new RatioRow(figure, messenger.OfferedRate, m, r, ratio);
    }
}
