using System.Text.Json.Nodes;
using Messenger.Dapr;
using Messenger.Testing;

namespace Messenger.Deploy.Tests;

/// <summary>
/// Redis Streams pub/sub: a stream is trimmed (else it grows forever), yet keeps an event long enough to be handled;
/// an unacknowledged event is claimed again only after the whole retry budget (else it is redelivered while still being
/// retried, and the component cancels the running delivery at processingTimeout).
/// </summary>
public sealed class PubSubRetentionTests
{
    private const string RedisPubSub = "pubsub.redis";

    /// <summary>The chart's values file that swaps Kafka for Redis Streams.</summary>
    private const string RedisPubSubValues = "values-redis-pubsub.yaml";

    /// <summary>The chart's values with its Redis Streams pub/sub.</summary>
    private readonly JsonObject values = ChartFiles.ValuesWith(RedisPubSubValues);

    public static TheoryData<string> RepositorySets() => new() { "components", Path.Combine("components", "production") };

    [Fact]
    public void The_local_set_uses_Redis_Streams_so_its_settings_are_checked()
    {
        Assert.Equal(RedisPubSub, Type(RepositoryComponent.ReadAll("components").Single(c => c.Name == DaprNames.PubSub)));
    }

    [Theory]
    [MemberData(nameof(RepositorySets))]
    public void The_retry_budget_of_a_component_set_is_bounded(string folder)
    {
        Assert.NotNull(RetryBudget.Of(ResiliencySpec(folder), DaprNames.PubSub));
    }

    [Theory]
    [MemberData(nameof(RepositorySets))]
    public void A_Redis_pubsub_claims_pending_events_again_only_after_the_retry_budget(string folder)
    {
        var pubsub = RepositoryComponent.ReadAll(folder).Single(c => c.Name == DaprNames.PubSub);
        if (Type(pubsub) != RedisPubSub)
        {
            // Kafka has no pending-entry reclaim: a failing event holds its partition through the same budget.
            Assert.Null(pubsub.MetadataValue("processingTimeout"));
            return;
        }

        var budget = RetryBudget.Of(ResiliencySpec(folder), DaprNames.PubSub)!.Value;

        Assert.True(ProcessingTimeout(pubsub.MetadataValue) > budget, $"{folder}: processingTimeout <= budget {budget}");
    }

    [Theory]
    [MemberData(nameof(RepositorySets))]
    public void A_Redis_pubsub_trims_its_streams_but_keeps_events_through_a_reclaim_and_the_retries(string folder)
    {
        var pubsub = RepositoryComponent.ReadAll(folder).Single(c => c.Name == DaprNames.PubSub);
        if (Type(pubsub) != RedisPubSub)
        {
            Assert.Null(pubsub.MetadataValue("streamTTL"));
            return;
        }

        var budget = RetryBudget.Of(ResiliencySpec(folder), DaprNames.PubSub)!.Value;

        AssertRetention(pubsub.MetadataValue, budget);
    }

    [Fact]
    public void The_charts_Redis_pubsub_claims_again_after_the_charts_retry_budget_and_trims_its_streams()
    {
        var pubsub = values["components"]![DaprNames.PubSub]!;
        Assert.Equal(RedisPubSub, pubsub["type"]!.GetValue<string>());
        var budget = ChartBudget();

        Assert.True(ProcessingTimeout(ChartMetadata(pubsub)) > budget, $"processingTimeout <= budget {budget}");
        AssertRetention(ChartMetadata(pubsub), budget);
    }

    [Fact]
    public void The_charts_Redis_pubsub_has_a_Redis_of_its_own_and_no_Kafka_settings_left()
    {
        var pubsubSecrets = SecretNames(values["components"]![DaprNames.PubSub]!);
        var others = SecretNames(values["components"]![DaprNames.StateStore]!).Concat(SecretNames(values["components"]![DaprNames.CacheStore]!));

        Assert.NotEmpty(pubsubSecrets);
        Assert.Empty(pubsubSecrets.Intersect(others));
        Assert.Equal(["redisHost", "redisPassword"], ((JsonObject)values["components"]![DaprNames.PubSub]!["secretMetadata"]!).Select(p => p.Key).Order());
        Assert.DoesNotContain("consumerGroup", ((JsonObject)values["components"]![DaprNames.PubSub]!["metadata"]!).Select(p => p.Key));
    }

    [Fact]
    public void The_chart_renders_the_timeout_of_its_retry_budget()
    {
        var template = ChartFiles.Read("deploy", "helm", "messenger", "templates", "dapr-config.yaml");

        Assert.Contains("eventTimeout: {{ .Values.resiliency.timeout }}", template, StringComparison.Ordinal);
        Assert.Contains("timeout: eventTimeout", template, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 15, 10, 270)]
    [InlineData(0, 15, 10, 10)]
    [InlineData(3, 2, 1, 13)]
    public void The_budget_counts_every_wait_at_its_jittered_maximum_and_every_attempt_at_its_timeout(int retries, int maxIntervalSeconds, int timeoutSeconds, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryBudget.Compute(retries, TimeSpan.FromSeconds(maxIntervalSeconds), TimeSpan.FromSeconds(timeoutSeconds)));
    }

    [Fact]
    public void Endless_retries_or_attempts_without_a_timeout_have_no_budget()
    {
        var spec = JsonNode.Parse("""
            {"policies": {"retries": {"r": {"maxInterval": "15s", "maxRetries": -1}}, "timeouts": {"t": "10s"}},
             "targets": {"components": {"pubsub": {"inbound": {"retry": "r", "timeout": "t"}}}}}
            """)!;
        var withoutTimeout = JsonNode.Parse("""
            {"policies": {"retries": {"r": {"maxInterval": "15s", "maxRetries": 8}}},
             "targets": {"components": {"pubsub": {"inbound": {"retry": "r"}}}}}
            """)!;

        Assert.Null(RetryBudget.Of(spec, "pubsub"));
        Assert.Null(RetryBudget.Of(withoutTimeout, "pubsub"));
    }

    [Theory]
    [InlineData("300s", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1m30s", 90)]
    public void Go_durations_are_read_with_their_units(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryBudget.GoDuration(text));
    }

    [Fact]
    public void A_duration_without_a_unit_is_refused()
    {
        Assert.Throws<FormatException>(() => RetryBudget.GoDuration("300"));
    }

    private static void AssertRetention(Func<string, string?> metadata, TimeSpan budget)
    {
        var ttl = metadata("streamTTL");
        var maxLen = metadata("maxLenApprox");

        Assert.True(ttl is null ^ maxLen is null, "exactly one of streamTTL and maxLenApprox (Dapr applies only one)");
        if (ttl is not null)
        {
            // An event must outlive a crashed consumer's reclaim (processingTimeout + redeliverInterval) followed by the
            // full retry budget of its new delivery.
            var needed = ProcessingTimeout(metadata) + RetryBudget.GoDuration(metadata("redeliverInterval") ?? "15s") + budget;
            Assert.True(RetryBudget.GoDuration(ttl) >= needed, $"streamTTL {ttl} < {needed}");
        }
    }

    private static TimeSpan ProcessingTimeout(Func<string, string?> metadata) =>
        RetryBudget.GoDuration(metadata("processingTimeout") ?? throw new InvalidOperationException("processingTimeout is not set (Dapr's default is 60 s)"));

    private TimeSpan ChartBudget()
    {
        var resiliency = values["resiliency"]!;
        return RetryBudget.Compute(
            (int)resiliency["maxRetries"]!.GetValue<long>(),
            RetryBudget.GoDuration(resiliency["maxInterval"]!.GetValue<string>()),
            RetryBudget.GoDuration(resiliency["timeout"]!.GetValue<string>()))!.Value;
    }

    private static Func<string, string?> ChartMetadata(JsonNode component) =>
        key => component["metadata"]?[key]?.GetValue<string>();

    private static IEnumerable<string> SecretNames(JsonNode component) =>
        ((JsonObject?)component["secretMetadata"] ?? []).Select(s => s.Value!["secretName"]!.GetValue<string>()).Distinct();

    private static string Type(RepositoryComponent component) =>
        Yaml.ParseJson(component.Text)!["spec"]!["type"]!.GetValue<string>();

    private static JsonNode ResiliencySpec(string folder) =>
        Yaml.ParseJson(File.ReadAllText(Path.Combine(ChartFiles.RepositoryRoot, folder, "resiliency.yaml")))!["spec"]!;
}
