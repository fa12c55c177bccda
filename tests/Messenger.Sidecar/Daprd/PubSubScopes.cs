using System.Globalization;
using Messenger.Sidecar.Components;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// A pub/sub component's topic scoping (<c>publishingScopes</c>, <c>subscriptionScopes</c>, <c>allowedTopics</c>,
/// <c>protectedTopics</c>) for one app id, with daprd's rule: a topic outside allowedTopics is refused; an app
/// without a scope may use any topic but protected ones; an app with a scope only the topics listed. Also how many of
/// its events the sidecar delivers at once (<see cref="Workers"/>).
/// </summary>
public sealed class PubSubScopes
{
    private const int DefaultWorkers = 10;

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

    /// <summary>
    /// How many events of this component the sidecar hands to the app at once: the component's <c>concurrency</c>
    /// (Redis streams starts that many workers on one queue, 10 when not set).
    /// </summary>
    public int Workers => int.TryParse(Component.Get("concurrency"), NumberStyles.None, CultureInfo.InvariantCulture, out var workers) && workers > 0
        ? workers
        : DefaultWorkers;

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
