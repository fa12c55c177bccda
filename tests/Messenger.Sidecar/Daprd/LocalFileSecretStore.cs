using System.Text.Json;
using Messenger.Sidecar.Components;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// <c>secretstores.local.file</c>: a JSON file (<c>secretsFile</c>, relative to the app's directory), nested objects
/// flattened with <c>nestedSeparator</c> (default ":"); each key is a secret of one value named after the key.
/// Read on every call, as the file can change.
/// </summary>
public sealed class LocalFileSecretStore(Component component, string appDirectory)
{
    public Component Component { get; } = component;

    public string FilePath { get; } = Path.GetFullPath(component.Get("secretsFile") ?? throw new InvalidDataException($"{component.Name}: secretsFile is required"), appDirectory);

    public IReadOnlyDictionary<string, string> ReadAll()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(FilePath));
        var separator = Component.Get("nestedSeparator") is { Length: > 0 } s ? s : ":";
        var secrets = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(document.RootElement, null, separator, secrets);
        return secrets;
    }

    private static void Flatten(JsonElement element, string? prefix, string separator, IDictionary<string, string> into)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Flatten(property.Value, prefix is null ? property.Name : prefix + separator + property.Name, separator, into);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Flatten(item, (prefix ?? string.Empty) + separator + i++, separator, into);
            }
        }
        else if (prefix is not null)
        {
            into[prefix] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        }
    }
}
