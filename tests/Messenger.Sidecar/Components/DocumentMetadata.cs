using YamlDotNet.Serialization;

namespace Messenger.Sidecar.Components;

public sealed class DocumentMetadata
{
    [YamlMember(Alias = "name")] public string Name { get; set; } = string.Empty;
    [YamlMember(Alias = "namespace")] public string? Namespace { get; set; }
}
