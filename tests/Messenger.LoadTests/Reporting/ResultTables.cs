using System.Globalization;
using Spectre.Console;

namespace Messenger.LoadTests.Reporting;

/// <summary>The tables printed at the end of a run.</summary>
public static class ResultTables
{
    public static void Print(IReadOnlyList<RunResult> runs, IReadOnlyList<RatioRow> ratios)
    {
        if (runs.Count == 0)
        {
            return;
        }

        var table = new Table().Title($"[bold]{Markup.Escape(runs[0].Scenario)}[/]").AddColumn("figure");
        foreach (var run in runs)
        {
            table.AddColumn(new TableColumn(Markup.Escape(Label(run, runs))).RightAligned());
        }

        var idle = runs[0].Scenario == Cli.ScenarioNames.Connections;
        var latency = runs[0].Scenario == Cli.ScenarioNames.Reconnect ? "time to synced" : "latency";
        void Row(string name, Func<RunResult, string> cell) =>
            table.AddRow([new Text(name), .. runs.Select(r => (Spectre.Console.Rendering.IRenderable)new Text(cell(r)))]);
        void MessageRow(string name, Func<RunResult, string> cell)
        {
            if (!idle)
            {
                Row(name, cell);
            }
        }

        Row("users", r => N(r.Users));
        MessageRow("offered rate msg/s", r => N(r.OfferedRate));
        Row("duration s", r => N(r.DurationSeconds));
        MessageRow("sent", r => N(r.Sent));
        MessageRow("acked", r => N(r.Acked));
        MessageRow("expected deliveries", r => N(r.ExpectedDeliveries));
        MessageRow("delivered", r => N(r.Delivered));
        MessageRow("lost (not in by drain end)", r => N(r.Lost));
        MessageRow("duplicates", r => N(r.Duplicates));
        MessageRow("out of order", r => N(r.OutOfOrder));
        MessageRow("seq errors", r => N(r.SeqErrors));
        Row("error frames", r => N(r.Errors));
        Row("closed by server", r => N(r.UnexpectedCloses));
        MessageRow("throughput deliveries/s", r => N(r.ThroughputPerSecond));
        MessageRow($"{latency} p50 ms", r => Ms(r.Latency.P50Ms));
        MessageRow($"{latency} p90 ms", r => Ms(r.Latency.P90Ms));
        MessageRow($"{latency} p99 ms", r => Ms(r.Latency.P99Ms));
        MessageRow($"{latency} p99.9 ms", r => Ms(r.Latency.P999Ms));
        MessageRow($"{latency} max ms", r => Ms(r.Latency.MaxMs));
        MessageRow("ack p50 ms", r => Ms(r.AckLatency.P50Ms));
        MessageRow("ack p99 ms", r => Ms(r.AckLatency.P99Ms));
        Row("server CPU s", r => r.ServerCpuSeconds is { } v ? N(v) : "n/a");
        MessageRow("server CPU us/delivery", r => r.ServerCpuMicrosPerDelivery is { } v ? N(v) : "n/a");
        Row("server RSS MiB (end)", r => r.ServerRssBytes is { } v ? Mib(v) : "n/a");
        Row("server RSS MiB (peak)", r => r.ServerRssPeakBytes is { } v ? Mib(v) : "n/a");
        Row("tool CPU s", r => N(r.ToolCpuSeconds));
        foreach (var key in runs.SelectMany(r => r.Extras.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            Row(key, r => r.Extras.TryGetValue(key, out var v) ? N(v) : "-");
        }

        Row("result", r => r.Passed ? "PASS" : "FAIL");
        AnsiConsole.Write(table);

        foreach (var run in runs.Where(r => !r.Passed))
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(Label(run, runs))}:[/]");
            foreach (var problem in run.Problems)
            {
                AnsiConsole.WriteLine($"  {problem}");
            }
        }

        if (ratios.Count > 0)
        {
            var ratioTable = new Table().Title("[bold]messenger / relay[/]")
                .AddColumn("figure").AddColumn(new TableColumn("offered msg/s").RightAligned())
                .AddColumn(new TableColumn("messenger").RightAligned()).AddColumn(new TableColumn("relay").RightAligned())
                .AddColumn(new TableColumn("ratio").RightAligned());
            foreach (var row in ratios)
            {
                ratioTable.AddRow(row.Figure, N(row.OfferedRate), Opt(row.Messenger), Opt(row.Relay), row.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "n/a");
            }

            AnsiConsole.Write(ratioTable);
        }
    }

    private static string Label(RunResult run, IReadOnlyList<RunResult> runs) =>
        runs.Count(r => r.Target == run.Target) > 1 ? $"{run.Target} @{run.OfferedRate:0}/s" : run.Target;

    private static string N(double value) =>
        value == Math.Floor(value) ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Opt(double? value) => value is { } v ? N(v) : "n/a";
}
