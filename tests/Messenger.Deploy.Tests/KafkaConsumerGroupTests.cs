using System.Text.Json.Nodes;
using Messenger.Dapr;
using Messenger.Testing;

namespace Messenger.Deploy.Tests;

/// <summary>
/// Kafka consumer groups: one per gateway pod (each reads only its own topic, and a pod joining or leaving a shared
/// group would pause every gateway while the group rebalances), one per app for the others (their replicas split the
/// topics). The component's consumerGroup comes from daprd's env (envRef), set per app through dapr.io/env.
/// </summary>
public sealed class KafkaConsumerGroupTests
{
    private readonly JsonObject values = ChartFiles.Values();

    private static JsonNode ProductionPubSub => Yaml.ParseJson(ChartFiles.Read("components", "production", "pubsub.yaml"))!;

    private static string EnvName =>
        ((JsonArray)ProductionPubSub["spec"]!["metadata"]!).Single(m => m!["name"]!.GetValue<string>() == "consumerGroup")!["envRef"]!.GetValue<string>();

    [Fact]
    public void The_production_Kafka_component_takes_its_consumer_group_from_the_sidecars_env()
    {
        var consumerGroup = ((JsonArray)ProductionPubSub["spec"]!["metadata"]!).Single(m => m!["name"]!.GetValue<string>() == "consumerGroup")!;

        Assert.Equal("pubsub.kafka", ProductionPubSub["spec"]!["type"]!.GetValue<string>());
        Assert.Null(consumerGroup["value"]);
        Assert.False(string.IsNullOrEmpty(EnvName));
    }

    [Fact]
    public void The_charts_component_reads_the_same_env_variable()
    {
        Assert.Equal(EnvName, values["components"]![DaprNames.PubSub]!["envMetadata"]!["consumerGroup"]!.GetValue<string>());
        Assert.Contains("      envRef: {{ $env }}", ChartFiles.Read("deploy", "helm", "messenger", "templates", "components.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_gateway_pod_is_a_consumer_group_of_its_own()
    {
        Assert.Equal("{podName}", GroupOf(DaprNames.GatewayApp));
    }

    [Theory]
    [InlineData("messages")]
    [InlineData("media")]
    [InlineData("push")]
    public void The_replicas_of_the_other_apps_share_one_group_per_app(string appId)
    {
        Assert.Equal("{appID}", GroupOf(appId));
    }

    [Fact]
    public void The_sidecar_env_annotation_is_rendered_from_each_apps_dapr_env()
    {
        var apps = ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml");
        var helpers = ChartFiles.Read("deploy", "helm", "messenger", "templates", "_helpers.tpl");

        Assert.Contains("dapr.io/env: {{ include \"messenger.daprEnv\" . | quote }}", apps, StringComparison.Ordinal);
        Assert.Contains("{{- define \"messenger.daprEnv\" -}}", helpers, StringComparison.Ordinal);
        Assert.Contains("printf \"%s=%s\" $key $value", helpers, StringComparison.Ordinal);
        Assert.Contains("join \",\" $pairs", helpers, StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_says_how_per_pod_topics_and_groups_are_retained_and_cleaned_up()
    {
        var readme = ChartFiles.Read("deploy", "README.md");

        Assert.Contains("retention.ms", readme, StringComparison.Ordinal);
        Assert.Contains("log.roll.ms", readme, StringComparison.Ordinal);
        Assert.Contains("kafka-topics.sh --delete --topic gateway.<pod>", readme, StringComparison.Ordinal);
        Assert.Contains("kafka-consumer-groups.sh --delete --group <pod>", readme, StringComparison.Ordinal);
    }

    private string GroupOf(string appId) =>
        ChartFiles.AppSettings(values, appId)["dapr"]!["env"]![EnvName]!.GetValue<string>();
}
