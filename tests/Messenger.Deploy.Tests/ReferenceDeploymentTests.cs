using System.Globalization;
using System.Text.Json.Nodes;

namespace Messenger.Deploy.Tests;

/// <summary>
/// values-reference.yaml, the deployment of docs/capacity.md: every app has a disruption budget, the apps under
/// sustained load scale on CPU (the gateway also on connections, with a slow scale-down), and no container (app or
/// daprd) requests more than its limit.
/// </summary>
public sealed class ReferenceDeploymentTests
{
    private const string ReferenceValues = "values-reference.yaml";
    private static readonly string[] AutoscaledApps = ["gateway", "messages", "media", "push"];
    private readonly JsonObject values = ChartFiles.ValuesWith(ReferenceValues);

    public static TheoryData<string> Apps()
    {
        var data = new TheoryData<string>();
        foreach (var (id, _) in (JsonObject)ChartFiles.ValuesWith(ReferenceValues)["apps"]!)
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Every_app_keeps_most_of_its_pods_through_a_voluntary_disruption(string appId)
    {
        var budget = ChartFiles.AppSettings(values, appId)["podDisruptionBudget"]?["maxUnavailable"];

        Assert.NotNull(budget);
        var text = budget.ToString();
        Assert.True(text.EndsWith('%') ? Percent(text) is > 0 and <= 10 : long.Parse(text, CultureInfo.InvariantCulture) >= 1, $"{appId}: {text}");
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void No_container_requests_more_than_its_limit(string appId)
    {
        var app = ChartFiles.AppSettings(values, appId);

        AssertWithinLimits(appId, app["resources"]);
        AssertWithinLimits(appId + " daprd", app["dapr"]?["resources"]);
    }

    [Fact]
    public void The_apps_under_load_scale_on_CPU_between_a_floor_and_a_ceiling()
    {
        foreach (var appId in AutoscaledApps)
        {
            var scaling = ChartFiles.AppSettings(values, appId)["autoscaling"]!;

            Assert.True(scaling["enabled"]!.GetValue<bool>(), appId);
            Assert.InRange(scaling["minReplicas"]!.GetValue<long>(), 2, scaling["maxReplicas"]!.GetValue<long>());
            Assert.InRange(scaling["targetCPUUtilizationPercentage"]!.GetValue<long>(), 40, 80);
        }
    }

    [Fact]
    public void Gateways_scale_on_connections_too_and_shed_pods_slowly()
    {
        var scaling = ChartFiles.AppSettings(values, "gateway")["autoscaling"]!;

        Assert.InRange(scaling["targetConnectionsPerPod"]!.GetValue<long>(), 1_000, 50_000);
        Assert.InRange(scaling["scaleDownPercentPerMinute"]!.GetValue<long>(), 1, 10);
    }

    [Fact]
    public void The_connections_metric_of_the_autoscaler_is_the_one_the_gateway_exports()
    {
        var template = ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml");
        var telemetry = Directory.EnumerateFiles(Path.Combine(ChartFiles.RepositoryRoot, "apps"), "*.cs", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Any(code => code.Contains("\"messenger.connections\"", StringComparison.Ordinal));

        Assert.Contains("name: messenger_connections", template, StringComparison.Ordinal);
        Assert.Contains("averageValue: {{ . | quote }}", template, StringComparison.Ordinal);
        Assert.True(telemetry, "no instrument messenger.connections under apps/");
    }

    [Theory]
    [InlineData("dapr.io/sidecar-cpu-request")]
    [InlineData("dapr.io/sidecar-memory-request")]
    [InlineData("dapr.io/sidecar-cpu-limit")]
    [InlineData("dapr.io/sidecar-memory-limit")]
    public void The_template_gives_daprd_its_resources(string annotation)
    {
        Assert.Contains(annotation + ": {{ . | quote }}", ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml"), StringComparison.Ordinal);
    }

    private static void AssertWithinLimits(string what, JsonNode? resources)
    {
        if (resources is null)
        {
            return;
        }

        foreach (var (kind, parse) in new (string, Func<string, double>)[] { ("cpu", Cpu), ("memory", Memory) })
        {
            if (resources["requests"]?[kind]?.ToString() is { } request && resources["limits"]?[kind]?.ToString() is { } limit)
            {
                Assert.True(parse(request) <= parse(limit), $"{what}: {kind} request {request} > limit {limit}");
            }
        }
    }

    private static double Percent(string text) => double.Parse(text.TrimEnd('%'), CultureInfo.InvariantCulture);

    private static double Cpu(string text) => text.EndsWith('m')
        ? double.Parse(text[..^1], CultureInfo.InvariantCulture) / 1000
        : double.Parse(text, CultureInfo.InvariantCulture);

    private static double Memory(string text)
    {
        string[] units = ["Ki", "Mi", "Gi", "Ti"];
        for (var i = 0; i < units.Length; i++)
        {
            if (text.EndsWith(units[i], StringComparison.Ordinal))
            {
                return double.Parse(text[..^2], CultureInfo.InvariantCulture) * Math.Pow(1024, i + 1);
            }
        }

        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}
