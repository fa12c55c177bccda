using System.Reflection;
using Messenger.Core.Events;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Hosting;
using static Messenger.Testing.Yaml;

namespace Messenger.Dapr.Tests;

/// <summary>components/, components/production/ and dapr.yaml say what the code says, and nothing else.</summary>
public sealed class DaprFilesTests
{
    /// <summary>The entry point of a multi-app run: no Dapr app of its own, it proxies to them.</summary>
    private const string EdgeApp = "edge";

    /// <summary>The proxies every app of a local run trusts: the edge, on loopback.</summary>
    private static readonly string[] Loopback = ["127.0.0.1", "::1"];

    /// <summary>Which components each app uses (its sidecar must load them, and no others).</summary>
    private static readonly Dictionary<string, string[]> Users = new()
    {
        [DaprNames.StateStore] = [DaprNames.GatewayApp, DaprNames.MessagesApp, DaprNames.MediaApp, DaprNames.PushApp],
        [DaprNames.CacheStore] = [DaprNames.GatewayApp, DaprNames.MessagesApp],
        [DaprNames.PubSub] = [DaprNames.GatewayApp, DaprNames.MessagesApp, DaprNames.MediaApp, DaprNames.PushApp],
        [DaprNames.SecretStore] = [DaprNames.GatewayApp, DaprNames.MessagesApp, DaprNames.MediaApp, DaprNames.PushApp],
    };

    /// <summary>The fixed topics each app subscribes to in its Program.cs (gateways subscribe to their own topic).</summary>
    private static readonly Dictionary<string, string[]> Subscribed = new()
    {
        [DaprNames.MessagesApp] = [Topics.DeadLetter],
        [DaprNames.PushApp] = [Topics.PushRequests],
        [DaprNames.MediaApp] = [Topics.MediaUploaded],
    };

    private static readonly string Root = FindRoot();

    [Theory]
    [InlineData("components")]
    [InlineData("components/production")]
    public void Every_component_the_code_names_is_defined_once_and_scoped_to_the_apps_that_use_it(string folder)
    {
        var components = Components(folder);

        Assert.Equal(DaprNames.Components.Order(), components.Keys.Order());
        foreach (var (name, component) in components)
        {
            var scopes = Seq(component["scopes"]).Cast<string>().Order();
            Assert.Equal(Users[name].Order(), scopes);
            var spec = Map(component["spec"]);
            var expectedKind = name switch
            {
                DaprNames.PubSub => "pubsub.",
                DaprNames.SecretStore => "secretstores.",
                _ => "state.",
            };
            Assert.StartsWith(expectedKind, (string)spec["type"]!, StringComparison.Ordinal);
            if (RawMetadata(component).Any(m => m.ContainsKey("secretKeyRef")))
            {
                Assert.Equal(DaprNames.SecretStore, (string?)Map(component["auth"])["secretStore"]);
            }
        }

        Assert.Equal("true", Metadata(components[DaprNames.StateStore])["actorStateStore"]);
        Assert.Equal("none", Metadata(components[DaprNames.StateStore])["keyPrefix"]);
        Assert.Equal("none", Metadata(components[DaprNames.CacheStore])["keyPrefix"]);
        Assert.True(int.Parse(Metadata(components[DaprNames.CacheStore])["ttlInSeconds"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Theory]
    [InlineData("components")]
    [InlineData("components/production")]
    public void Topic_scopes_name_only_real_apps_and_topics_and_let_each_app_subscribe_to_what_it_does(string folder)
    {
        var pubsub = Metadata(Components(folder)[DaprNames.PubSub]);
        var subscriptions = Scopes(pubsub["subscriptionScopes"]!);
        var publishing = Scopes(pubsub["publishingScopes"]!);

        foreach (var (app, topics) in subscriptions.Concat(publishing))
        {
            Assert.Contains(app, DaprNames.AppIds);
            Assert.All(topics, t => Assert.Contains(t, FixedTopics()));
        }

        foreach (var (app, topics) in Subscribed)
        {
            Assert.Equal(topics.Order(), subscriptions[app].Order());
        }

        Assert.DoesNotContain(DaprNames.GatewayApp, subscriptions.Keys);
        Assert.DoesNotContain(DaprNames.GatewayApp, publishing.Keys);
    }

    [Fact]
    public void Every_fixed_topic_in_the_code_appears_in_the_components()
    {
        var text = File.ReadAllText(Path.Combine(Root, "components", "pubsub.yaml"));

        Assert.All(FixedTopics(), topic => Assert.Contains(topic, text, StringComparison.Ordinal));
    }

    [Fact]
    public void The_local_secrets_file_holds_exactly_the_secrets_the_components_and_the_code_read()
    {
        var secretStore = Components("components")[DaprNames.SecretStore];
        var file = Path.Combine(Root, "components", Path.GetFileName(Metadata(secretStore)["secretsFile"]!));
        using var secrets = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        var referenced = Components("components").Values
            .SelectMany(RawMetadata)
            .Where(m => m.ContainsKey("secretKeyRef"))
            .Select(m => (string)Map(m["secretKeyRef"])["name"]!);

        Assert.Equal(
            referenced.Concat(DaprNames.Secrets).Distinct().Order(StringComparer.Ordinal),
            secrets.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(DaprNames.Secrets, name => Assert.False(string.IsNullOrWhiteSpace(secrets.RootElement.GetProperty(name).GetString())));
    }

    [Fact]
    public void The_production_set_swaps_the_store_and_the_broker_only()
    {
        var local = Components("components");
        var production = Components("components/production");

        Assert.Equal("state.postgresql", (string?)Map(production[DaprNames.StateStore]["spec"])["type"]);
        Assert.Equal("true", Metadata(production[DaprNames.StateStore])["actorStateStore"]);
        Assert.Equal("pubsub.kafka", (string?)Map(production[DaprNames.PubSub]["spec"])["type"]);
        Assert.Equal(Metadata(local[DaprNames.PubSub])["subscriptionScopes"], Metadata(production[DaprNames.PubSub])["subscriptionScopes"]);
        Assert.Equal(Metadata(local[DaprNames.PubSub])["publishingScopes"], Metadata(production[DaprNames.PubSub])["publishingScopes"]);
    }

    [Fact]
    public void The_run_file_starts_each_app_id_with_its_project_and_health_check_and_two_gateways()
    {
        var run = Map(Parse(File.ReadAllText(Path.Combine(Root, "dapr.yaml"))));
        var apps = Seq(run["apps"]).Select(Map).ToList();
        var common = Map(run["common"]);

        Assert.Equal(DaprNames.AppIds.Append(EdgeApp).Order(), apps.Select(a => (string)a["appID"]!).Distinct().Order());
        Assert.Contains("./components", Seq(common["resourcesPaths"]).Cast<string>());
        Assert.True(((string)Map(common["env"])["Messenger__Auth__SigningKey"]!).Length >= 44);
        foreach (var app in apps)
        {
            var id = (string)app["appID"]!;
            var project = "Messenger." + char.ToUpperInvariant(id[0]) + id[1..] + (id == EdgeApp ? string.Empty : ".DaprHost");
            Assert.True(File.Exists(Path.Combine(Root, (string)app["appDirPath"]!, project + ".csproj")), $"{id} runs {project}");
            Assert.Equal(HostingExtensions.HealthPath, (string?)app["appHealthCheckPath"]);
            Assert.Equal("true", (string?)app["enableAppHealthCheck"]);
            Assert.Equal($"http://localhost:{app["appPort"]}", (string?)Map(app["env"])["ASPNETCORE_URLS"]);
        }

        Assert.Equal(apps.Count, apps.Select(a => (string)a["appPort"]!).Distinct().Count());
        var gateways = apps.Where(a => (string?)a["appID"] == DaprNames.GatewayApp).ToList();
        var instanceIds = gateways.Select(g => (string?)Map(g["env"])["Messenger__Gateway__InstanceId"]).ToList();
        Assert.Equal(2, gateways.Count);
        Assert.All(instanceIds, Assert.NotNull);
        Assert.Equal(2, instanceIds.Select(i => Topics.Gateway(i!)).Distinct().Count());
    }

    [Fact]
    public void The_run_file_leaves_the_app_api_token_to_the_environment_of_dapr_run()
    {
        // The Dapr CLI starts daprd with its own environment only; a token in the run file's env would reach the apps
        // and not their sidecars, and every call from a sidecar would be refused.
        var run = Map(Parse(File.ReadAllText(Path.Combine(Root, "dapr.yaml"))));
        var envs = Seq(run["apps"]).Select(Map).Append(Map(run["common"]))
            .Select(a => a.TryGetValue("env", out var env) ? Map(env) : []);

        Assert.All(envs, env => Assert.DoesNotContain(Security.AppApiTokenOptions.ConfigurationKey, env.Keys));
        Assert.DoesNotContain("appAPIToken", File.ReadAllText(Path.Combine(Root, "dapr.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_app_of_the_run_file_trusts_the_edge_on_loopback_and_the_edge_trusts_no_one()
    {
        var apps = Seq(Map(Parse(File.ReadAllText(Path.Combine(Root, "dapr.yaml"))))["apps"]).Select(Map).ToList();
        var prefix = "Messenger__" + ForwardedHeadersSettings.Section["Messenger:".Length..] + "__";

        foreach (var app in apps)
        {
            var trusted = Map(app["env"]).Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => (string?)e.Value).Order();
            Assert.Equal((string?)app["appID"] == EdgeApp ? [] : Loopback, trusted);
        }
    }

    [Fact]
    public void The_edge_of_the_run_file_sends_each_app_id_to_every_instance_of_it()
    {
        var apps = Seq(Map(Parse(File.ReadAllText(Path.Combine(Root, "dapr.yaml"))))["apps"]).Select(Map).ToList();
        var edgeEnv = Map(apps.Single(a => (string?)a["appID"] == EdgeApp)["env"]);

        foreach (var appId in DaprNames.AppIds)
        {
            var prefix = $"ReverseProxy__Clusters__{appId}__Destinations__";
            var destinations = edgeEnv.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => (string?)e.Value).Order();
            var instances = apps.Where(a => (string?)a["appID"] == appId).Select(a => $"http://localhost:{a["appPort"]}").Order();

            Assert.Equal(instances, destinations);
        }
    }

    [Fact]
    public void The_resiliency_policy_covers_the_pubsub_component_of_every_subscriber()
    {
        foreach (var folder in new[] { "components", "components/production" })
        {
            var resiliency = Map(Parse(File.ReadAllText(Path.Combine(Root, folder, "resiliency.yaml"))));
            var targets = Map(Map(Map(resiliency["spec"])["targets"])["components"]);

            Assert.Equal([DaprNames.PubSub], targets.Keys);
            Assert.Equal(Users[DaprNames.PubSub].Order(), Seq(resiliency["scopes"]).Cast<string>().Order());
        }
    }

    private static Dictionary<string, Dictionary<string, object?>> Components(string folder) =>
        Directory.GetFiles(Path.Combine(Root, folder), "*.yaml")
            .Select(f => Map(Parse(File.ReadAllText(f))))
            .Where(d => (string?)d["kind"] == "Component")
            .ToDictionary(d => (string)Map(d["metadata"])["name"]!, d => d);

    private static Dictionary<string, string?> Metadata(Dictionary<string, object?> component) =>
        (Map(component["spec"])["metadata"] as List<object?> ?? [])
            .Select(Map)
            .ToDictionary(m => (string)m["name"]!, m => m.TryGetValue("value", out var v) ? v as string : null);

    private static IEnumerable<Dictionary<string, object?>> RawMetadata(Dictionary<string, object?> component) =>
        (Map(component["spec"])["metadata"] as List<object?> ?? []).Select(Map);

    private static Dictionary<string, string[]> Scopes(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p[1].Split(',', StringSplitOptions.RemoveEmptyEntries));

    private static string[] FixedTopics() =>
        typeof(Topics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(Topics.GatewayPrefix))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "dapr.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("dapr.yaml not found above the test directory.");
    }
}
