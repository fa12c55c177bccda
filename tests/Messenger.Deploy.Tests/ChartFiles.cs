using System.Text.Json.Nodes;
using Messenger.Testing;

namespace Messenger.Deploy.Tests;

/// <summary>The repository's files the deploy tests read: the chart, the components, the apps and the docs.</summary>
public static class ChartFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ChartDirectory => Path.Combine(RepositoryRoot, "deploy", "helm", "messenger");

    public static string TemplatesDirectory => Path.Combine(ChartDirectory, "templates");

    public static string Read(params string[] relative) => File.ReadAllText(Path.Combine([RepositoryRoot, .. relative]));

    public static JsonObject Values() => (JsonObject)(Yaml.ParseJson(File.ReadAllText(Path.Combine(ChartDirectory, "values.yaml")))
        ?? throw new InvalidOperationException("values.yaml is empty"));

    /// <summary>values.yaml with a values file of the chart applied on top, as <c>helm install -f</c> does: maps merge,
    /// other values replace, and null removes a key.</summary>
    public static JsonObject ValuesWith(string valuesFile)
    {
        var values = Values();
        var overrides = (JsonObject)(Yaml.ParseJson(File.ReadAllText(Path.Combine(ChartDirectory, valuesFile)))
            ?? throw new InvalidOperationException(valuesFile + " is empty"));
        Coalesce(values, overrides);
        return values;
    }

    /// <summary>The values a deployment is installed with: the chart's own, and the reference deployment's on top.</summary>
    public static IReadOnlyList<string> DeploymentValuesFiles { get; } = ["values.yaml", "values-reference.yaml"];

    /// <summary>values.yaml, or values.yaml with <paramref name="valuesFile"/> applied.</summary>
    public static JsonObject ValuesOf(string valuesFile) => valuesFile == "values.yaml" ? Values() : ValuesWith(valuesFile);

    public static IEnumerable<string> TemplateFiles() => Directory.EnumerateFiles(TemplatesDirectory).Order(StringComparer.Ordinal);

    /// <summary>An app's settings as the chart sees them: the default block overridden by the app's own entry.</summary>
    public static JsonObject AppSettings(JsonObject values, string appId)
    {
        var merged = (JsonObject)values["default"]!.DeepClone();
        Overwrite(merged, (JsonObject)values["apps"]![appId]!);
        return merged;
    }

    /// <summary>Like Sprig's mergeOverwrite: maps merge, other values replace, empty and false values do not.</summary>
    private static void Overwrite(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Overwrite(existing, child);
            }
            else if (!IsEmpty(value))
            {
                target[key] = value!.DeepClone();
            }
        }
    }

    private static void Coalesce(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Coalesce(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        JsonValue v when v.TryGetValue<long>(out var n) => n == 0,
        _ => false,
    };

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Messenger.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Messenger.sln not found above " + AppContext.BaseDirectory);
    }
}
