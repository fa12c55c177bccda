using YamlDotNet.Serialization;

namespace Messenger.Sidecar.Components;

/// <summary>
/// One resource file of a resources path (the shape of <c>dapr.io/v1alpha1</c> Component and Resiliency documents);
/// only the fields the double acts on are read, the rest are ignored.
/// </summary>
public sealed class ComponentDocument
{
    [YamlMember(Alias = "apiVersion")] public string? ApiVersion { get; set; }
    [YamlMember(Alias = "kind")] public string? Kind { get; set; }
    [YamlMember(Alias = "metadata")] public DocumentMetadata Metadata { get; set; } = new();
    [YamlMember(Alias = "spec")] public Dictionary<string, object?> Spec { get; set; } = [];
    [YamlMember(Alias = "auth")] public Dictionary<string, string>? Auth { get; set; }
    [YamlMember(Alias = "scopes")] public List<string>? Scopes { get; set; }
}
