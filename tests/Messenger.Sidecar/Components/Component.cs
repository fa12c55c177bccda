namespace Messenger.Sidecar.Components;

/// <summary>A loaded component: its name, type (<c>state.redis</c>, <c>pubsub.redis</c>, ...), plain metadata values
/// (secret references resolved where the secret store could be read) and the app ids it is scoped to (empty: all).</summary>
public sealed record Component(
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Scopes,
    string SourceFile)
{
    public string Category => Type.Split('.', 2)[0];

    public bool IsScopedTo(string appId) => Scopes.Count == 0 || Scopes.Contains(appId, StringComparer.Ordinal);

    /// <summary>A metadata value by name, compared without case as daprd does for its own well-known keys.</summary>
    public string? Get(string name) =>
        Metadata.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
