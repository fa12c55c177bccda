using Messenger.Sidecar.Components;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// A pub/sub component's topic scoping (<c>publishingScopes</c>, <c>subscriptionScopes</c>, <c>allowedTopics</c>,
/// <c>protectedTopics</c>) for one app id, with daprd's rule: a topic outside allowedTopics is refused; an app
/// without a scope may use any topic but protected ones; an app with a scope only the topics listed.
/// </summary>
public sealed class PubSubScopes
{
    private readonly List<string> allowed;
    private readonly List<string> protectedTopics;
    private readonly IReadOnlyList<string> publishing;
    private readonly IReadOnlyList<string> subscribing;

    public PubSubScopes(Component component, string appId)
    {
        Component = component;
        allowed = List(component.Get("allowedTopics"));
        protectedTopics = List(component.Get("protectedTopics"));
        publishing = Scoped(component.Get("publishingScopes"), appId);
        subscribing = Scoped(component.Get("subscriptionScopes"), appId);
    }

    public Component Component { get; }

    public bool MayPublish(string topic) => Allowed(topic, publishing);

    public bool MaySubscribe(string topic) => Allowed(topic, subscribing);

    private bool Allowed(string topic, IReadOnlyList<string> scoped)
    {
        if (allowed.Count > 0 && !allowed.Contains(topic))
        {
            return false;
        }

        return (!protectedTopics.Contains(topic) && scoped.Count == 0) || scoped.Contains(topic);
    }

    private static List<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static List<string> Scoped(string? value, string appId)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        foreach (var scope in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = scope.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts[0] == appId && parts.Length == 2)
            {
                return List(parts[1]);
            }
        }

        return [];
    }
}
