using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Messenger.Dapr;

namespace Messenger.Deploy.Tests;

public sealed class ChartConsistencyTests
{
    private readonly JsonObject values = ChartFiles.Values();

    /// <summary>The edge: the one app of the chart without a Dapr sidecar; it serves the web client.</summary>
    private const string EdgeApp = "edge";

    private JsonObject Apps => (JsonObject)values["apps"]!;

    /// <summary>The apps that run beside a Dapr sidecar (all but the edge).</summary>
    private IEnumerable<KeyValuePair<string, JsonNode?>> DaprApps =>
        Apps.Where(a => a.Value!["noSidecar"]?.GetValue<bool>() != true);

    private JsonObject Components => (JsonObject)values["components"]!;

    [Fact]
    public void Apps_in_values_are_the_Dapr_app_ids_of_the_code()
    {
        Assert.Equal(DaprNames.AppIds.Order(), DaprApps.Select(a => a.Key).Order());
        Assert.Equal([EdgeApp], Apps.Select(a => a.Key).Except(DaprNames.AppIds));
    }

    [Fact]
    public void Every_Dapr_app_under_apps_has_an_entry_in_values_and_every_entry_is_one()
    {
        var daprApps = Directory.EnumerateDirectories(Path.Combine(ChartFiles.RepositoryRoot, "apps"))
            .Where(d => File.Exists(Path.Combine(d, "Program.cs"))
                        && File.ReadAllText(Path.Combine(d, "Program.cs")).Contains("AddDaprAdapters()", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Order();

        var projects = DaprApps.Select(a => a.Value!["project"]!.GetValue<string>()).Order();

        Assert.Equal(daprApps, projects);
    }

    [Fact]
    public void Each_app_id_runs_the_same_project_as_in_dapr_yaml()
    {
        var daprYaml = ChartFiles.Read("dapr.yaml");
        var pairs = Regex.Matches(daprYaml, @"appID: (\S+)\s*\n\s*appDirPath: \./apps/([^/\s]+)/")
            .Select(m => (Id: m.Groups[1].Value, Project: m.Groups[2].Value))
            .Distinct()
            .OrderBy(p => p.Id, StringComparer.Ordinal);

        var chart = Apps.Select(a => (Id: a.Key, Project: a.Value!["project"]!.GetValue<string>())).OrderBy(p => p.Id, StringComparer.Ordinal);

        Assert.Equal(pairs, chart);
    }

    [Fact]
    public void Components_in_values_are_the_ones_named_in_code_and_in_components()
    {
        var local = RepositoryComponent.ReadAll("components").Where(c => c.Kind == "Component").Select(c => c.Name).Order();
        var production = RepositoryComponent.ReadAll(Path.Combine("components", "production")).Where(c => c.Kind == "Component").Select(c => c.Name).Order();
        var chart = Components.Select(c => c.Key).Order().ToList();

        Assert.Equal(DaprNames.Components.Order(), chart);
        Assert.Equal(local, chart);
        Assert.Equal(production, chart);
    }

    [Fact]
    public void Component_scopes_are_those_of_the_production_components()
    {
        foreach (var component in RepositoryComponent.ReadAll(Path.Combine("components", "production")).Where(c => c.Kind == "Component"))
        {
            var scopes = Components[component.Name]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>());

            Assert.Equal(component.Scopes.Order(), scopes.Order());
        }
    }

    [Fact]
    public void Every_scope_is_an_app_in_values()
    {
        var scopes = Components.SelectMany(c => c.Value!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        Assert.All(scopes, scope => Assert.Contains(scope, DaprApps.Select(a => a.Key)));
    }

    [Theory]
    [InlineData("publishingScopes")]
    [InlineData("subscriptionScopes")]
    public void Pubsub_topic_scopes_are_those_of_the_repository_components(string key)
    {
        var local = RepositoryComponent.ReadAll("components").Single(c => c.Name == DaprNames.PubSub);
        var production = RepositoryComponent.ReadAll(Path.Combine("components", "production")).Single(c => c.Name == DaprNames.PubSub);

        var chart = Components[DaprNames.PubSub]!["metadata"]![key]!.GetValue<string>();

        Assert.Equal(local.MetadataValue(key), chart);
        Assert.Equal(production.MetadataValue(key), chart);
    }

    [Fact]
    public void State_store_holds_actor_state_without_key_prefix_and_cache_expires_entries_like_the_repository()
    {
        var statestore = Components[DaprNames.StateStore]!["metadata"]!;
        var cache = Components[DaprNames.CacheStore]!["metadata"]!;
        var repositoryCache = RepositoryComponent.ReadAll("components").Single(c => c.Name == DaprNames.CacheStore);

        Assert.Equal("true", statestore["actorStateStore"]!.GetValue<string>());
        Assert.Equal("none", statestore["keyPrefix"]!.GetValue<string>());
        Assert.Equal("none", cache["keyPrefix"]!.GetValue<string>());
        Assert.Equal(repositoryCache.MetadataValue("ttlInSeconds"), cache["ttlInSeconds"]!.GetValue<string>());
        Assert.Equal("secretstores.kubernetes", Components[DaprNames.SecretStore]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Components_take_their_credentials_from_the_secret_store_named_in_code()
    {
        var template = ChartFiles.Read("deploy", "helm", "messenger", "templates", "components.yaml");

        Assert.Contains($"secretStore: {DaprNames.SecretStore}", template, StringComparison.Ordinal);
        Assert.Contains("secretKeyRef:", template, StringComparison.Ordinal);
        Assert.DoesNotContain("password", template, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_media_blob_secret_named_in_code_is_documented_for_the_operator()
    {
        Assert.Contains(DaprNames.MediaBlobConnectionSecret, ChartFiles.Read("deploy", "helm", "messenger", "templates", "NOTES.txt"), StringComparison.Ordinal);
        Assert.Contains(DaprNames.MediaBlobConnectionSecret, ChartFiles.Read("deploy", "README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ingress_sends_the_WebSocket_to_gateway_and_the_web_client_to_the_edge()
    {
        Assert.Equal(["/ws"], Paths(DaprNames.GatewayApp));
        Assert.Equal(["/"], Paths(EdgeApp));
    }

    [Fact]
    public void Ingress_sends_each_api_prefix_of_the_architecture_to_the_app_that_serves_it()
    {
        var architecture = ChartFiles.Read("docs", "architecture.md");
        foreach (var appId in DaprNames.AppIds)
        {
            var row = architecture.Split('\n').Single(l => l.StartsWith($"| `{appId}`", StringComparison.Ordinal) && l.Contains("| `apps/Messenger.", StringComparison.Ordinal));
            var columns = row.Split('|');
            var served = columns[3];

            Assert.Equal($"`apps/{Apps[appId]!["project"]!.GetValue<string>()}`", columns[2].Trim());
            var prefixes = Regex.Matches(served, @"`(/api/[a-z-]+)`").Select(m => m.Groups[1].Value).ToList();

            Assert.Equal(prefixes.Order(), Paths(appId).Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).Order());
        }

        Assert.Equal(DaprNames.AppIds.Append(EdgeApp).Order(), ((JsonObject)values["ingress"]!["paths"]!).Select(p => p.Key).Order());
    }

    [Fact]
    public void Ingress_keeps_WebSockets_open()
    {
        var annotations = (JsonObject)values["ingress"]!["annotations"]!;

        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 3600);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 3600);
    }

    [Fact]
    public void Gateway_gets_time_to_leave_the_endpoints_drain_its_WebSockets_and_stop()
    {
        var gateway = ChartFiles.AppSettings(values, DaprNames.GatewayApp);
        var grace = gateway["terminationGracePeriodSeconds"]!.GetValue<long>();
        var preStop = gateway["preStopSleepSeconds"]!.GetValue<long>();
        var shutdown = long.Parse(gateway["env"]!["DOTNET_SHUTDOWNTIMEOUTSECONDS"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(grace >= 60, $"grace {grace}");
        Assert.True(preStop >= 5, $"preStop {preStop}");
        Assert.True(preStop + shutdown < grace, $"preStop {preStop} + shutdown {shutdown} >= grace {grace}");
    }

    [Fact]
    public void Each_gateway_pod_is_its_own_instance()
    {
        Assert.Equal("Messenger__Gateway__InstanceId", Apps[DaprNames.GatewayApp]!["podNameEnv"]!.GetValue<string>());
        Assert.Contains("fieldPath: metadata.name", ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("messages")]
    public void Gateway_and_messages_scale_horizontally(string appId)
    {
        var app = ChartFiles.AppSettings(values, appId);

        Assert.True(app["autoscaling"]!["enabled"]!.GetValue<bool>());
        Assert.True(app["autoscaling"]!["minReplicas"]!.GetValue<long>() >= 2);
    }

    [Theory]
    [InlineData("dapr.io/enabled: \"true\"")]
    [InlineData("dapr.io/app-id: {{ $id | quote }}")]
    [InlineData("dapr.io/app-port: {{ $app.port | quote }}")]
    [InlineData("dapr.io/enable-app-health-check: \"true\"")]
    [InlineData("dapr.io/app-health-check-path: /healthz")]
    [InlineData("dapr.io/config: {{ include \"messenger.fullname\" $ | quote }}")]
    [InlineData("path: /healthz")]
    [InlineData("livenessProbe:")]
    [InlineData("readinessProbe:")]
    [InlineData("runAsNonRoot: true")]
    [InlineData("readOnlyRootFilesystem: true")]
    [InlineData("mountPath: /tmp")]
    [InlineData("kind: Deployment")]
    [InlineData("kind: Service")]
    [InlineData("kind: PodDisruptionBudget")]
    [InlineData("kind: HorizontalPodAutoscaler")]
    [InlineData("{{- range $id, $own := .Values.apps }}")]
    public void App_template_renders_every_app_with_Dapr_probes_and_a_locked_down_container(string expected)
    {
        Assert.Contains(expected, ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_Dapr_configuration_is_named_as_the_pods_refer_to_it()
    {
        var config = ChartFiles.Read("deploy", "helm", "messenger", "templates", "dapr-config.yaml");

        Assert.Contains("kind: Configuration\nmetadata:\n  name: {{ include \"messenger.fullname\" . }}", config.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_builds_any_app_with_the_sdk_and_runs_it_as_non_root_on_the_aspnet_runtime()
    {
        var dockerfile = ChartFiles.Read("deploy", "docker", "Dockerfile");
        var defaultApp = Regex.Match(dockerfile, @"ARG APP=(\S+)").Groups[1].Value;

        Assert.Contains(defaultApp, Apps.Select(a => a.Value!["project"]!.GetValue<string>()));
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/sdk:\S+ AS build", dockerfile);
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/aspnet:\S+ AS runtime", dockerfile);
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
        foreach (var project in Apps.Select(a => a.Value!["project"]!.GetValue<string>()))
        {
            Assert.True(File.Exists(Path.Combine(ChartFiles.RepositoryRoot, "apps", project, project + ".csproj")), project);
        }
    }

    private List<string> Paths(string appId) => [.. values["ingress"]!["paths"]![appId]!.AsArray().Select(p => p!.GetValue<string>())];
}
