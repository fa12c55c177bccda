using YamlDotNet.Serialization;

namespace Messenger.Sidecar.Runner;

/// <summary>One entry of <c>apps</c> in dapr.yaml (also the shape of <c>common</c>, whose values apps inherit).</summary>
public sealed class RunAppSpec
{
    [YamlMember(Alias = "appID")] public string AppId { get; set; } = string.Empty;
    [YamlMember(Alias = "appDirPath")] public string? AppDirPath { get; set; }
    [YamlMember(Alias = "appPort")] public int? AppPort { get; set; }
    [YamlMember(Alias = "appProtocol")] public string? AppProtocol { get; set; }
    [YamlMember(Alias = "command")] public List<string> Command { get; set; } = [];
    [YamlMember(Alias = "env")] public Dictionary<string, string>? Env { get; set; }
    [YamlMember(Alias = "enableAppHealthCheck")] public bool? EnableAppHealthCheck { get; set; }
    [YamlMember(Alias = "appHealthCheckPath")] public string? AppHealthCheckPath { get; set; }
    [YamlMember(Alias = "resourcesPath")] public string? ResourcesPath { get; set; }
    [YamlMember(Alias = "resourcesPaths")] public List<string>? ResourcesPaths { get; set; }
    [YamlMember(Alias = "daprHTTPPort")] public int? DaprHttpPort { get; set; }
    [YamlMember(Alias = "daprGRPCPort")] public int? DaprGrpcPort { get; set; }

    public IReadOnlyList<string> Resources(RunAppSpec common) =>
        ResourcesPaths is { Count: > 0 } ? ResourcesPaths
        : ResourcesPath is { Length: > 0 } ? [ResourcesPath]
        : common.ResourcesPaths is { Count: > 0 } ? common.ResourcesPaths
        : common.ResourcesPath is { Length: > 0 } ? [common.ResourcesPath]
        : [];
}
