using System.Text.Json.Nodes;
using Messenger.Testing;

namespace Messenger.Deploy.Tests;

/// <summary>
/// One production component set: the chart's components are components/production/ (type, version, every metadata
/// entry, and the secret behind each secret entry), so what is documented and tested as production is what the chart
/// installs.
/// </summary>
public sealed class ProductionComponentsTests
{
    private readonly JsonObject components = (JsonObject)ChartFiles.Values()["components"]!;

    public static TheoryData<string> ProductionComponents()
    {
        var data = new TheoryData<string>();
        foreach (var component in ProductionFiles())
        {
            data.Add(component["metadata"]!["name"]!.GetValue<string>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProductionComponents))]
    public void The_chart_installs_the_production_component_type_and_version(string name)
    {
        var spec = Production(name)["spec"]!;
        var chart = components[name]!;

        Assert.Equal(spec["type"]!.GetValue<string>(), chart["type"]!.GetValue<string>());
        Assert.Equal(spec["version"]!.GetValue<string>(), chart["version"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(ProductionComponents))]
    public void The_chart_sets_the_same_metadata_from_the_same_secrets(string name)
    {
        var production = ProductionMetadata(name);
        var chart = ChartMetadata(name);

        Assert.Equal(production.OrderBy(p => p.Key, StringComparer.Ordinal), chart.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Production_keeps_state_in_PostgreSQL_and_caches_in_Redis()
    {
        Assert.Equal("state.postgresql", components["statestore"]!["type"]!.GetValue<string>());
        Assert.Equal("v2", components["statestore"]!["version"]!.GetValue<string>());
        Assert.Equal("state.redis", components["cache"]!["type"]!.GetValue<string>());
        Assert.Equal("pubsub.kafka", components["pubsub"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("transactions")]
    [InlineData("ETag")]
    [InlineData("TTL")]
    [InlineData("actorStateStore")]
    [InlineData("CROSSSLOT")]
    [InlineData("hash tag")]
    public void The_readme_says_what_a_managed_store_must_support(string requirement)
    {
        Assert.Contains(requirement, ChartFiles.Read("deploy", "README.md"), StringComparison.Ordinal);
    }

    /// <summary>Each metadata entry of a production file as "value: ...", "secret: name/key" or "env: NAME".</summary>
    private static Dictionary<string, string> ProductionMetadata(string name) =>
        ((JsonArray?)Production(name)["spec"]!["metadata"] ?? []).Select(m => m!).ToDictionary(
            m => m["name"]!.GetValue<string>(),
            m => m["secretKeyRef"] is { } secret
                ? $"secret: {secret["name"]!.GetValue<string>()}/{secret["key"]!.GetValue<string>()}"
                : m["envRef"] is { } env ? $"env: {env.GetValue<string>()}" : $"value: {m["value"]!.GetValue<string>()}",
            StringComparer.Ordinal);

    /// <summary>The same view of the chart's values: metadata, secretMetadata and envMetadata.</summary>
    private Dictionary<string, string> ChartMetadata(string name)
    {
        var component = components[name]!;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in (JsonObject?)component["metadata"] ?? [])
        {
            result.Add(key, $"value: {value!.GetValue<string>()}");
        }

        foreach (var (key, secret) in (JsonObject?)component["secretMetadata"] ?? [])
        {
            result.Add(key, $"secret: {secret!["secretName"]!.GetValue<string>()}/{secret["key"]!.GetValue<string>()}");
        }

        foreach (var (key, env) in (JsonObject?)component["envMetadata"] ?? [])
        {
            result.Add(key, $"env: {env!.GetValue<string>()}");
        }

        return result;
    }

    private static JsonNode Production(string name) => ProductionFiles().Single(c => c["metadata"]!["name"]!.GetValue<string>() == name);

    private static IEnumerable<JsonNode> ProductionFiles() =>
        Directory.EnumerateFiles(Path.Combine(ChartFiles.RepositoryRoot, "components", "production"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(f => Yaml.ParseJson(File.ReadAllText(f))!)
            .Where(d => d["kind"]!.GetValue<string>() == "Component");
}
