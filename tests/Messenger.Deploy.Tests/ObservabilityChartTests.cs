using System.Text.Json.Nodes;

namespace Messenger.Deploy.Tests;

/// <summary>
/// The chart's side of docs/observability.md: probes on /healthz/live and /healthz/ready, /metrics on a port of its
/// own that the Ingress never reaches, scrape annotations and the optional ServiceMonitor.
/// </summary>
public sealed class ObservabilityChartTests
{
    private readonly JsonObject values = ChartFiles.Values();

    private static string Apps => ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml").Replace("\r\n", "\n", StringComparison.Ordinal);

    private int MetricsPort => (int)values["observability"]!["metricsPort"]!.GetValue<long>();

    [Fact]
    public void Liveness_probes_the_process_and_readiness_what_serving_needs()
    {
        var apps = Apps;

        Assert.Contains("livenessProbe:\n            httpGet:\n              path: /healthz/live\n", apps, StringComparison.Ordinal);
        Assert.Contains("readinessProbe:\n            httpGet:\n              path: /healthz/ready\n", apps, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_answer_only_on_their_own_port_which_no_app_uses_and_the_Ingress_never_targets()
    {
        var apps = Apps;
        var ingress = ChartFiles.Read("deploy", "helm", "messenger", "templates", "ingress.yaml");

        Assert.Contains("value: {{ printf \"%v;%v\" $app.port $.Values.observability.metricsPort | quote }}", apps, StringComparison.Ordinal);
        Assert.Contains("- name: Messenger__Telemetry__MetricsPort\n              value: {{ $.Values.observability.metricsPort | quote }}", apps, StringComparison.Ordinal);
        Assert.All(((JsonObject)values["apps"]!).Select(a => a.Key), id =>
            Assert.NotEqual(MetricsPort, (int)ChartFiles.AppSettings(values, id)["port"]!.GetValue<long>()));
        Assert.Contains("port:\n                  name: http\n", ingress.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_edge_proxies_no_metrics_or_health_path_to_an_app()
    {
        var edge = JsonNode.Parse(ChartFiles.Read("apps", "Messenger.Edge", "appsettings.json"))!;
        var paths = ((JsonObject)edge["ReverseProxy"]!["Routes"]!).Select(r => (string)r.Value!["Match"]!["Path"]!).ToList();

        Assert.NotEmpty(paths);
        Assert.All(paths, path =>
        {
            Assert.False(path.StartsWith("/metrics", StringComparison.OrdinalIgnoreCase), path);
            Assert.False(path.StartsWith("/healthz", StringComparison.OrdinalIgnoreCase), path);
            Assert.False(path.StartsWith("/{", StringComparison.Ordinal), path);
        });
    }

    [Fact]
    public void Pods_carry_scrape_annotations_for_the_metrics_port_and_a_ServiceMonitor_is_optional()
    {
        var apps = Apps;
        var monitor = ChartFiles.Read("deploy", "helm", "messenger", "templates", "servicemonitor.yaml");

        Assert.True(values["observability"]!["scrapeAnnotations"]!.GetValue<bool>());
        Assert.Contains("prometheus.io/port: {{ $.Values.observability.metricsPort | quote }}", apps, StringComparison.Ordinal);
        Assert.Contains("prometheus.io/path: /metrics", apps, StringComparison.Ordinal);
        Assert.False(values["observability"]!["serviceMonitor"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("{{- if .Values.observability.serviceMonitor.enabled }}", monitor, StringComparison.Ordinal);
        Assert.Contains("kind: ServiceMonitor", monitor, StringComparison.Ordinal);
        Assert.Contains("- port: metrics", monitor, StringComparison.Ordinal);
        Assert.Contains("- name: metrics\n      port: {{ $.Values.observability.metricsPort }}\n      targetPort: metrics", apps, StringComparison.Ordinal);
    }
}
