using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Messenger.Sidecar.Runner;

/// <summary>A Dapr CLI multi-app run file (<c>dapr.yaml</c>: version, common, apps); fields the runner does not act
/// on are ignored.</summary>
public sealed class RunFile
{
    [YamlMember(Alias = "version")] public int Version { get; set; } = 1;
    [YamlMember(Alias = "common")] public RunAppSpec Common { get; set; } = new();
    [YamlMember(Alias = "apps")] public List<RunAppSpec> Apps { get; set; } = [];

    public static RunFile Load(string path)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        var file = deserializer.Deserialize<RunFile?>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        if (file.Apps.Count == 0)
        {
            throw new InvalidDataException($"{path} lists no apps.");
        }

        foreach (var app in file.Apps)
        {
            if (string.IsNullOrEmpty(app.AppId) || app.Command.Count == 0)
            {
                throw new InvalidDataException($"{path}: every app needs appID and command.");
            }
        }

        return file;
    }
}
