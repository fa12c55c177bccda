using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Messenger.DaprEndToEnd.Tests.Infrastructure;

/// <summary>
/// The repository's <c>dapr.yaml</c> and <c>components/</c>, copied into a temporary directory for one run and
/// changed only where a test run must differ: app directories made absolute (they stay in the repository), the
/// components read from the copy, and the copy's <c>secrets.json</c> pointing the media app at this run's Azurite.
/// Everything else (apps, ports, env, scopes, resiliency) is the file as committed.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    /// <summary>The secret the media app reads its blob connection string from (DaprNames.MediaBlobConnectionSecret).</summary>
    public const string BlobSecret = "media-blob-connection-string";

    private const string ComponentsFolder = "components";
    private const string SecretsFile = "secrets.json";
    private const string SecretStoreFile = "secretstore.yaml";
    private readonly TempDirectory directory = new("dapr-e2e");

    private RunDirectory()
    {
    }

    public string RunFile => System.IO.Path.Combine(directory.Path, "dapr.yaml");

    public static RunDirectory Create(string repositoryRoot, string blobConnectionString)
    {
        var run = new RunDirectory();
        var components = Directory.CreateDirectory(System.IO.Path.Combine(run.directory.Path, ComponentsFolder)).FullName;
        foreach (var file in Directory.EnumerateFiles(System.IO.Path.Combine(repositoryRoot, ComponentsFolder)))
        {
            File.Copy(file, System.IO.Path.Combine(components, System.IO.Path.GetFileName(file)));
        }

        var secretsPath = System.IO.Path.Combine(components, SecretsFile);
        var secrets = JsonNode.Parse(File.ReadAllText(secretsPath))!.AsObject();
        Assert.True(secrets.ContainsKey(BlobSecret), $"components/{SecretsFile} has no {BlobSecret}");
        secrets[BlobSecret] = blobConnectionString;
        File.WriteAllText(secretsPath, secrets.ToJsonString());

        var secretStore = Load(System.IO.Path.Combine(components, SecretStoreFile));
        var metadata = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)secretStore)["spec"])["metadata"];
        var secretsFile = metadata.Children.Cast<YamlMappingNode>().Single(m => ((YamlScalarNode)m["name"]).Value == "secretsFile");
        secretsFile.Children[new YamlScalarNode("value")] = new YamlScalarNode(secretsPath);
        Save(secretStore, System.IO.Path.Combine(components, SecretStoreFile));

        var runFile = (YamlMappingNode)Load(System.IO.Path.Combine(repositoryRoot, "dapr.yaml"));
        var common = (YamlMappingNode)runFile["common"];
        common.Children[new YamlScalarNode("resourcesPaths")] = new YamlSequenceNode(new YamlScalarNode(components));
        foreach (var app in ((YamlSequenceNode)runFile["apps"]).Children.Cast<YamlMappingNode>())
        {
            var appDir = ((YamlScalarNode)app["appDirPath"]).Value!;
            app.Children[new YamlScalarNode("appDirPath")] = new YamlScalarNode(System.IO.Path.GetFullPath(appDir, repositoryRoot));
        }

        Save(runFile, run.RunFile);
        return run;
    }

    public void Dispose() => directory.Dispose();

    private static YamlNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Single().RootNode;
    }

    private static void Save(YamlNode root, string path)
    {
        using var writer = new StreamWriter(path);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
    }
}
