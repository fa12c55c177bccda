using ScottPlot;

namespace Messenger.LoadTests.Reporting;

/// <summary>Latency percentiles against offered load, one line per percentile and target (log latency axis).</summary>
public static class LatencyChart
{
    private const int Width = 1000;
    private const int Height = 600;

    public static void Write(string path, IReadOnlyList<RunResult> runs)
    {
        var plot = new Plot();
        var colors = new Dictionary<string, Color>
        {
            ["p50"] = Colors.SteelBlue,
            ["p90"] = Colors.DarkOrange,
            ["p99"] = Colors.Crimson,
            ["max"] = Colors.Gray,
        };
        foreach (var target in runs.Select(r => r.Target).Distinct())
        {
            var points = runs.Where(r => r.Target == target).OrderBy(r => r.OfferedRate).ToArray();
            var xs = points.Select(r => r.OfferedRate).ToArray();
            foreach (var (name, value) in new (string, Func<RunResult, double>)[]
                     {
                         ("p50", r => r.Latency.P50Ms), ("p90", r => r.Latency.P90Ms), ("p99", r => r.Latency.P99Ms), ("max", r => r.Latency.MaxMs),
                     })
            {
                var ys = points.Select(r => Math.Log10(Math.Max(0.01, value(r)))).ToArray();
                var line = plot.Add.Scatter(xs, ys, colors[name]);
                line.LegendText = $"{target} {name}";
                line.LineWidth = 2;
                line.MarkerSize = 7;
                line.LinePattern = target == "relay" ? LinePattern.Dashed : LinePattern.Solid;
            }
        }

        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.Title("Receiver latency against offered load (pairs)");
        plot.XLabel("offered load (messages/s)");
        plot.YLabel("latency (ms, log scale)");
        plot.ShowLegend(Alignment.UpperLeft);

        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, Width, Height);
        }
        else
        {
            plot.SavePng(path, Width, Height);
        }
    }
}
