using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Messenger.Deploy.Tests;

/// <summary>The Grafana dashboard under deploy/grafana queries only metrics the apps define, by their Prometheus names.</summary>
public sealed partial class DashboardTests
{
    private static readonly string[] Suffixes = ["_total", "_bucket", "_count", "_sum", "_seconds", "_bytes"];

    [Fact]
    public void Every_messenger_metric_the_dashboard_queries_is_an_instrument_of_the_code()
    {
        var dashboard = JsonNode.Parse(ChartFiles.Read("deploy", "grafana", "messenger-dashboard.json"))!;
        var defined = new[] { Path.Combine("apps", "Messenger.Core", "Telemetry", "MessengerTelemetry.cs"), Path.Combine("apps", "Messenger.Dapr", "State", "CacheMetrics.cs") }
            .SelectMany(file => InstrumentName().Matches(ChartFiles.Read(file)).Select(m => m.Groups[1].Value.Replace('.', '_')))
            .ToHashSet(StringComparer.Ordinal);
        var queried = ((JsonArray)dashboard["panels"]!)
            .SelectMany(panel => panel!["targets"]?.AsArray() ?? [])
            .SelectMany(target => MessengerMetric().Matches((string)target!["expr"]!).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(queried.Count >= 10, $"only {queried.Count} Messenger metrics on the dashboard");
        Assert.All(queried, metric => Assert.Contains(BaseName(metric), defined));
    }

    [Fact]
    public void Every_panel_reads_the_dashboards_Prometheus_datasource()
    {
        var dashboard = JsonNode.Parse(ChartFiles.Read("deploy", "grafana", "messenger-dashboard.json"))!;

        Assert.All(((JsonArray)dashboard["panels"]!).Where(p => (string?)p!["type"] != "row"), panel =>
            Assert.Equal("${datasource}", (string?)panel!["datasource"]!["uid"]));
    }

    private static string BaseName(string metric)
    {
        var name = metric;
        string? suffix;
        while ((suffix = Suffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal))) is not null)
        {
            name = name[..^suffix.Length];
        }

        return name;
    }

    [GeneratedRegex("\"(messenger\\.[a-z_.]+)\"")]
    private static partial Regex InstrumentName();

    [GeneratedRegex("messenger_[a-z_]+")]
    private static partial Regex MessengerMetric();
}
