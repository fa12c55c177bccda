using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Messenger.Sidecar.Components;

/// <summary>
/// The components and resiliency policies of one or more resources paths (every *.yaml / *.yml file in them, several
/// documents a file allowed), as daprd loads them with <c>--resources-path</c>. Which of them an app sees depends on
/// each resource's <c>scopes</c>.
/// </summary>
public sealed class ResourceSet
{
    private readonly List<(IReadOnlyList<string> Scopes, Dictionary<string, string> InboundRetry, Dictionary<string, RetryPolicy> Policies)> resiliencies = [];

    private ResourceSet(IReadOnlyList<Component> components) => Components = components;

    public IReadOnlyList<Component> Components { get; }

    public static ResourceSet Empty { get; } = new([]);

    public static ResourceSet Load(IEnumerable<string> paths)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        var components = new List<Component>();
        var documents = new List<(ComponentDocument Doc, string File)>();
        foreach (var path in paths)
        {
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"The resources path {path} does not exist.");
            }

            foreach (var file in Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                using var reader = File.OpenText(file);
                var parser = new Parser(reader);
                parser.Consume<StreamStart>();
                while (parser.Accept<DocumentStart>(out _))
                {
                    var doc = deserializer.Deserialize<ComponentDocument?>(parser);
                    if (doc?.Kind is not null)
                    {
                        documents.Add((doc, file));
                    }
                }
            }
        }

        var set = new ResourceSet(components);
        foreach (var (doc, file) in documents)
        {
            switch (doc.Kind)
            {
                case "Component":
                    components.Add(ToComponent(doc, file));
                    break;
                case "Resiliency":
                    set.resiliencies.Add(ToResiliency(doc));
                    break;
            }
        }

        var duplicates = components.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidDataException($"Components declared more than once: {string.Join(", ", duplicates)}.");
        }

        return set;
    }

    public IEnumerable<Component> For(string appId) => Components.Where(c => c.IsScopedTo(appId));

    /// <summary>The retry policy for events the app <paramref name="appId"/> receives from <paramref name="pubsub"/>.</summary>
    public RetryPolicy InboundRetry(string appId, string pubsub)
    {
        foreach (var (scopes, inbound, policies) in resiliencies)
        {
            if ((scopes.Count == 0 || scopes.Contains(appId)) && inbound.TryGetValue(pubsub, out var name) && policies.TryGetValue(name, out var policy))
            {
                return policy;
            }
        }

        return RetryPolicy.None;
    }

    private static Component ToComponent(ComponentDocument doc, string file)
    {
        var type = Convert.ToString(doc.Spec.GetValueOrDefault("type"), CultureInfo.InvariantCulture)
                   ?? throw new InvalidDataException($"{file}: component {doc.Metadata.Name} has no spec.type.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (doc.Spec.GetValueOrDefault("metadata") is IEnumerable<object> items)
        {
            foreach (var item in items.OfType<IDictionary<object, object>>())
            {
                var name = Convert.ToString(item.TryGetValue("name", out var n) ? n : null, CultureInfo.InvariantCulture);
                if (name is null)
                {
                    continue;
                }

                // A secretKeyRef is resolved by daprd from the component's secret store; the double keeps no
                // connection that would use it, so it only records that the value comes from a secret.
                metadata[name] = item.TryGetValue("value", out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;
            }
        }

        return new Component(doc.Metadata.Name, type, metadata, doc.Scopes ?? [], file);
    }

    private static (IReadOnlyList<string>, Dictionary<string, string>, Dictionary<string, RetryPolicy>) ToResiliency(ComponentDocument doc)
    {
        var policies = new Dictionary<string, RetryPolicy>(StringComparer.Ordinal);
        var inbound = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(doc.Spec.GetValueOrDefault("policies"), "retries") is IDictionary<object, object> retries)
        {
            foreach (var (name, body) in retries)
            {
                var spec = (body as IDictionary<object, object>)?.ToDictionary(p => (string)p.Key, p => (object?)p.Value) ?? [];
                policies[(string)name] = RetryPolicy.Parse((string)name, spec);
            }
        }

        if (Child(doc.Spec.GetValueOrDefault("targets"), "components") is IDictionary<object, object> components)
        {
            foreach (var (name, body) in components)
            {
                if (Child(Child(body, "inbound"), "retry") is string retry)
                {
                    inbound[(string)name] = retry;
                }
            }
        }

        return (doc.Scopes ?? [], inbound, policies);
    }

    private static object? Child(object? node, string key) =>
        node is IDictionary<object, object> map && map.TryGetValue(key, out var value) ? value : null;
}
