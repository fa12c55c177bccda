using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Deploy.Tests;

/// <summary>
/// Who can reach the apps: the Ingress routes public paths only, and a NetworkPolicy per app admits the Ingress
/// controller (and, for the Dapr apps, the edge) on the app port and the release's sidecars on daprd's internal port.
/// </summary>
public sealed class NetworkPolicyTests
{
    /// <summary>Routes of a Dapr app that only its sidecar calls (subscriptions, actors, deliveries, health).</summary>
    private static readonly string[] SidecarOnlyRoutes = ["/dapr/subscribe", "/dapr/config", "/actors/ConversationActor/1/method/Append", "/events/gateway", "/healthz"];

    /// <summary>daprd's HTTP and gRPC API ports: used by the app over localhost only.</summary>
    private static readonly string[] SidecarApiPorts = ["3500", "50001"];

    private readonly JsonObject values = ChartFiles.Values();

    private static string Template => ChartFiles.Read("deploy", "helm", "messenger", "templates", "networkpolicy.yaml").Replace("\r\n", "\n", StringComparison.Ordinal);

    private JsonObject Apps => (JsonObject)values["apps"]!;

    private bool HasSidecar(string appId) => Apps[appId]!["noSidecar"]?.GetValue<bool>() != true;

    [Fact]
    public void Every_app_gets_a_NetworkPolicy_that_selects_its_pods_for_ingress()
    {
        var template = Template;

        Assert.True(values["networkPolicy"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("{{- range $id, $own := .Values.apps }}", template, StringComparison.Ordinal);
        Assert.Contains("kind: NetworkPolicy", template, StringComparison.Ordinal);
        Assert.Contains(
            "spec:\n  podSelector:\n    matchLabels:\n      {{- include \"messenger.selectorLabels\" (dict \"root\" $ \"app\" $id) | nindent 6 }}\n  policyTypes:\n    - Ingress\n",
            template,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_port_admits_the_Ingress_controller_chosen_in_values()
    {
        var template = Template;
        var controller = values["networkPolicy"]!["ingressController"]!;

        Assert.NotEmpty(controller["namespaceSelector"]!.AsObject());
        Assert.NotEmpty(controller["podSelector"]!.AsObject());
        Assert.Contains("{{- toYaml $.Values.networkPolicy.ingressController.namespaceSelector | nindent 14 }}", template, StringComparison.Ordinal);
        Assert.Contains("{{- toYaml $.Values.networkPolicy.ingressController.podSelector | nindent 14 }}", template, StringComparison.Ordinal);
        Assert.Contains("port: {{ $app.port }}", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Dapr_apps_also_admit_the_edge_which_proxies_to_them()
    {
        var template = Template;
        var guard = template.IndexOf("{{- if not $app.noSidecar }}", StringComparison.Ordinal);
        var edgePeer = template.IndexOf("{{- include \"messenger.selectorLabels\" (dict \"root\" $ \"app\" $edgeId) | nindent 14 }}", StringComparison.Ordinal);

        Assert.Contains(Apps, a => !HasSidecar(a.Key));
        Assert.InRange(edgePeer, guard + 1, template.IndexOf("port: {{ $app.port }}", StringComparison.Ordinal));
        Assert.Contains("{{- if $edge.noSidecar }}", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_daprds_internal_port_is_open_to_other_pods_and_never_its_API_ports()
    {
        var template = System.Text.RegularExpressions.Regex.Replace(Template, @"\{\{-? /\*.*?\*/ -?\}\}", string.Empty, System.Text.RegularExpressions.RegexOptions.Singleline);

        Assert.Equal(50002, values["networkPolicy"]!["daprInternalGrpcPort"]!.GetValue<long>());
        Assert.Contains("port: {{ $.Values.networkPolicy.daprInternalGrpcPort }}", template, StringComparison.Ordinal);
        Assert.All(SidecarApiPorts, port => Assert.DoesNotContain(port, template, StringComparison.Ordinal));
        Assert.DoesNotContain("Egress", template, StringComparison.Ordinal);
    }

    [Fact]
    public void No_Ingress_prefix_of_a_Dapr_app_covers_a_route_only_its_sidecar_calls()
    {
        foreach (var (appId, paths) in (JsonObject)values["ingress"]!["paths"]!)
        {
            foreach (var path in paths!.AsArray().Select(p => p!.GetValue<string>()))
            {
                if (HasSidecar(appId))
                {
                    Assert.All(SidecarOnlyRoutes, route => Assert.False(Covers(path, route), $"{appId}: {path} covers {route}"));
                }
                else
                {
                    Assert.Equal("/", path);
                }
            }
        }
    }

    [Fact]
    public void The_edge_proxies_public_paths_only()
    {
        using var settings = JsonDocument.Parse(ChartFiles.Read("apps", "Messenger.Edge", "appsettings.json"));
        var routes = settings.RootElement.GetProperty("ReverseProxy").GetProperty("Routes").EnumerateObject()
            .Select(r => r.Value.GetProperty("Match").GetProperty("Path").GetString()!)
            .ToList();

        Assert.NotEmpty(routes);
        Assert.All(routes, route => Assert.True(route == "/ws" || route.StartsWith("/api/", StringComparison.Ordinal), route));
    }

    [Fact]
    public void Apps_trust_forwarded_headers_from_a_configured_proxy_network()
    {
        var network = ChartFiles.AppSettings(values, "messages")["env"]!["Messenger__ForwardedHeaders__KnownNetworks__0"]!.GetValue<string>();

        Assert.True(IPNetwork.TryParse(network, out _), network);
    }

    [Theory]
    [InlineData("/api/auth", "/api/auth", true)]
    [InlineData("/api/auth", "/api/auth/login", true)]
    [InlineData("/api/auth", "/api/authz", false)]
    [InlineData("/", "/dapr/subscribe", true)]
    [InlineData("/ws", "/dapr/config", false)]
    public void Prefix_matching_follows_whole_path_segments(string prefix, string path, bool covered)
    {
        Assert.Equal(covered, Covers(prefix, path));
    }

    /// <summary>Kubernetes' pathType Prefix: the prefix matches whole path segments.</summary>
    private static bool Covers(string prefix, string path) =>
        prefix == "/" || path == prefix || path.StartsWith(prefix.TrimEnd('/') + "/", StringComparison.Ordinal);
}
