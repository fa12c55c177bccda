using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Messenger.Deploy.Tests;

public sealed class ValuesSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        File.ReadAllText(Path.Combine(ChartFiles.ChartDirectory, "values.schema.json")),
        new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    [Fact]
    public void Values_yaml_is_valid_against_values_schema()
    {
        var errors = Validate(ChartFiles.Values());

        Assert.Empty(errors);
    }

    [Fact]
    public void Values_with_the_Redis_pubsub_file_are_valid_against_values_schema()
    {
        var errors = Validate(ChartFiles.ValuesWith("values-redis-pubsub.yaml"));

        Assert.Empty(errors);
    }

    [Fact]
    public void Values_with_the_reference_deployment_are_valid_against_values_schema()
    {
        var errors = Validate(ChartFiles.ValuesWith("values-reference.yaml"));

        Assert.Empty(errors);
    }

    [Fact]
    public void Schema_rejects_a_connections_target_of_zero()
    {
        var values = ChartFiles.ValuesWith("values-reference.yaml");
        values["apps"]!["gateway"]!["autoscaling"]!["targetConnectionsPerPod"] = 0;

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_a_password_in_plain_component_metadata()
    {
        var values = ChartFiles.Values();
        values["components"]!["statestore"]!["metadata"]!["redisPassword"] = "hunter2";

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_the_signing_key_in_an_apps_env()
    {
        var values = ChartFiles.Values();
        values["apps"]!["messages"]!["env"] = new JsonObject { ["Messenger__Auth__SigningKey"] = "c2VjcmV0" };

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_the_app_API_token_in_an_apps_env()
    {
        var values = ChartFiles.Values();
        values["apps"]!["gateway"]!["env"] = new JsonObject { ["APP_API_TOKEN"] = "c2VjcmV0" };

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_an_app_API_token_key_that_daprd_does_not_read()
    {
        var values = ChartFiles.Values();
        values["appApiToken"]!["secretKey"] = "appToken";

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_a_sidecar_env_variable_that_daprd_will_not_let_components_read()
    {
        var values = ChartFiles.Values();
        values["apps"]!["gateway"]!["dapr"]!["env"] = new JsonObject { ["DAPR_CONSUMER_GROUP"] = "{podName}" };

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_an_app_without_an_image()
    {
        var values = ChartFiles.Values();
        ((JsonObject)values["apps"]!["push"]!).Remove("image");

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_a_misspelt_app_setting()
    {
        var values = ChartFiles.Values();
        values["apps"]!["gateway"]!["replica"] = 3;

        Assert.NotEmpty(Validate(values));
    }

    [Fact]
    public void Schema_rejects_a_missing_component()
    {
        var values = ChartFiles.Values();
        ((JsonObject)values["components"]!).Remove("cache");

        Assert.NotEmpty(Validate(values));
    }

    private static List<string> Validate(JsonObject values)
    {
        var results = Schema.Value.Evaluate(
            JsonSerializer.SerializeToElement(values),
            new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? [])
            .Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["invalid"];
    }
}
