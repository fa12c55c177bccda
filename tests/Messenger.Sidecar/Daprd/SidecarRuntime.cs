using System.Net.Sockets;
using System.Text.Json;
using Grpc.Core;
using Messenger.Sidecar.Actors;
using Messenger.Sidecar.Components;
using Messenger.Sidecar.PubSub;
using Messenger.Sidecar.State;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// One sidecar's view of the world: the components scoped to its app (state stores with their key prefix, the actor
/// state store, pub/subs with their topic scopes, secret stores), its channel to the app, and what the app declared
/// (actor types, subscriptions) once it is up.
/// </summary>
public sealed class SidecarRuntime
{
    public const string Separator = "||";
    private const string StateType = "state";
    private const string PubSubType = "pubsub";
    private const string SecretStoresType = "secretstores";
    private readonly Dictionary<string, (Component Component, StateStore Store)> stateStores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PubSubScopes> pubSubs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LocalFileSecretStore> secretStores = new(StringComparer.Ordinal);
    private readonly (Component Component, StateStore Store)? actorStore;
    private volatile bool ready;

    public SidecarRuntime(SidecarOptions options, Infrastructure infrastructure, AppChannel? channel)
    {
        Options = options;
        Infrastructure = infrastructure;
        Channel = channel;
        Logger = infrastructure.LoggerFactory.CreateLogger("Messenger.Sidecar");
        Components = [.. options.Resources.For(options.AppId)];
        foreach (var component in Components)
        {
            switch (component.Category)
            {
                case StateType:
                    stateStores[component.Name] = (component, infrastructure.StoreFor(component));
                    break;
                case PubSubType:
                    pubSubs[component.Name] = new PubSubScopes(component, options.AppId);
                    break;
                case SecretStoresType when component.Type == "secretstores.local.file":
                    secretStores[component.Name] = new LocalFileSecretStore(component, options.AppDirectory);
                    break;
                default:
                    SidecarLog.Unsupported(Logger, options.Name, $"component {component.Name} of type {component.Type}");
                    break;
            }
        }

        var actorStores = stateStores.Values.Where(s => string.Equals(s.Component.Get("actorStateStore"), "true", StringComparison.OrdinalIgnoreCase)).ToList();
        if (actorStores.Count > 1)
        {
            // daprd refuses to start with more than one.
            throw new InvalidDataException($"detected duplicate actor state store: {string.Join(", ", actorStores.Select(s => s.Component.Name))}");
        }

        actorStore = actorStores.Count == 1 ? actorStores[0] : null;
    }

    public SidecarOptions Options { get; }

    public Infrastructure Infrastructure { get; }

    public AppChannel? Channel { get; }

    public ILogger Logger { get; }

    public IReadOnlyList<Component> Components { get; }

    public string AppId => Options.AppId;

    public string Name => Options.Name;

    /// <summary>True once the app's configuration was read (daprd's /v1.0/healthz turns healthy then).</summary>
    public bool Ready => ready;

    public IReadOnlyList<string> ActorTypes { get; private set; } = [];

    public IReadOnlyList<DeclaredSubscription> Subscriptions { get; private set; } = [];

    public void Count(Operation operation, long count = 1) => Infrastructure.Counters.Add(AppId, operation, count);

    /// <summary>Counts a state operation on <paramref name="keys"/> (the app's own names, before any prefix), key by key and by kind.</summary>
    public void CountKeys(Operation operation, IEnumerable<string> keys)
    {
        var count = 0;
        foreach (var key in keys)
        {
            Infrastructure.Counters.AddKey(AppId, operation, key);
            count++;
        }

        Count(operation, count);
    }

    public StateStore StateStore(string name)
    {
        if (stateStores.TryGetValue(name, out var store))
        {
            return store.Store;
        }

        throw stateStores.Count == 0
            ? new DaprApiException(StatusCode.FailedPrecondition, 500, "ERR_STATE_STORE_NOT_CONFIGURED", $"state store {name} is not configured")
            : new DaprApiException(StatusCode.InvalidArgument, 400, "ERR_STATE_STORE_NOT_FOUND", $"state store {name} is not found");
    }

    /// <summary>The key as stored: refused if it contains "||", then prefixed per the store's keyPrefix.</summary>
    public string StateKey(string storeName, string key)
    {
        if (key.Contains(Separator, StringComparison.Ordinal))
        {
            throw new DaprApiException(StatusCode.InvalidArgument, 400, "ERR_MALFORMED_REQUEST", $"input key/keyPrefix '{key}' can't contain '{Separator}'");
        }

        var strategy = (stateStores[storeName].Component.Get("keyPrefix") ?? "appid").ToLowerInvariant();
        return strategy switch
        {
            "none" => key,
            "name" => storeName + Separator + key,
            "appid" or "namespace" => AppId + Separator + key,
            _ => strategy + Separator + key,
        };
    }

    public StateStore ActorStateStore() =>
        actorStore?.Store ?? throw new DaprApiException(StatusCode.Internal, 500, "ERR_ACTOR_RUNTIME_NOT_FOUND", "actors: state store does not exist or incorrectly configured");

    public string ActorStateKey(string actorType, string actorId, string key) =>
        string.Join(Separator, AppId, actorType, actorId, key);

    public PubSubScopes PubSub(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new DaprApiException(StatusCode.InvalidArgument, 404, "ERR_PUBSUB_EMPTY", "pubsub name is empty");
        }

        return pubSubs.TryGetValue(name, out var scopes)
            ? scopes
            : throw new DaprApiException(StatusCode.InvalidArgument, 400, "ERR_PUBSUB_NOT_FOUND", $"pubsub {name} is not found");
    }

    /// <summary>Wraps the payload in a CloudEvent and hands it to the broker, as daprd's publish does.</summary>
    public void Publish(string pubSubName, string topic, byte[] data, string? dataContentType, string? traceParent, string? traceState)
    {
        var scopes = PubSub(pubSubName);
        if (string.IsNullOrEmpty(topic))
        {
            throw new DaprApiException(StatusCode.InvalidArgument, 404, "ERR_TOPIC_NAME_EMPTY", $"topic is empty in pubsub {pubSubName}");
        }

        if (!scopes.MayPublish(topic))
        {
            throw new DaprApiException(StatusCode.PermissionDenied, 403, "ERR_PUBSUB_FORBIDDEN", $"topic {topic} is not allowed for app id {AppId}");
        }

        var envelope = CloudEventEnvelope.Wrap(data, dataContentType, AppId, pubSubName, topic, traceParent ?? CloudEventEnvelope.NewTraceParent(), traceState);
        Infrastructure.Broker.Publish(pubSubName, topic, envelope, CloudEventEnvelope.ContentType);
        Count(Operation.Publish);
    }

    /// <summary>Publishes an event the app gave up on to the dead-letter topic (scopes apply, as in daprd).</summary>
    public bool PublishDeadLetter(BrokerMessage message, string deadLetterTopic)
    {
        if (!pubSubs.TryGetValue(message.PubSub, out var scopes) || !scopes.MayPublish(deadLetterTopic))
        {
            SidecarLog.Refused(Logger, Name, "dead letter", $"topic {deadLetterTopic} is not allowed for app id {AppId}");
            return false;
        }

        Infrastructure.Broker.Publish(message.PubSub, deadLetterTopic, message.Data, message.ContentType);
        return true;
    }

    public LocalFileSecretStore SecretStore(string name)
    {
        if (secretStores.Count == 0)
        {
            throw new DaprApiException(StatusCode.FailedPrecondition, 500, "ERR_SECRET_STORES_NOT_CONFIGURED", "secret store is not configured");
        }

        return secretStores.TryGetValue(name, out var store)
            ? store
            : throw new DaprApiException(StatusCode.InvalidArgument, 401, "ERR_SECRET_STORE_NOT_FOUND", $"failed finding secret store with key {name}");
    }

    /// <summary>
    /// Waits for the app's port, reads <c>/dapr/config</c> and <c>/dapr/subscribe</c>, and registers the app's actor
    /// types with placement and its subscriptions with the broker.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (Channel is null || Options.AppPort is not { } port)
        {
            ready = true;
            return;
        }

        if (!await WaitForPortAsync(port, cancellationToken))
        {
            SidecarLog.AppNeverCame(Logger, Name, port, Options.AppStartTimeout);
            return;
        }

        var config = await ReadAppJsonAsync("/dapr/config", cancellationToken);
        if (config is { ValueKind: JsonValueKind.Object } cfg)
        {
            RegisterActors(cfg);
        }

        var subscriptions = await ReadAppJsonAsync("/dapr/subscribe", cancellationToken);
        if (subscriptions is { ValueKind: JsonValueKind.Array } subs)
        {
            RegisterSubscriptions(subs);
        }

        ready = true;
        if (Logger.IsEnabled(LogLevel.Information))
        {
            var types = string.Join(",", ActorTypes);
            SidecarLog.AppConnected(Logger, Name, types, Subscriptions.Count);
        }
    }

    private void RegisterActors(JsonElement config)
    {
        var types = config.TryGetProperty("entities", out var entities) && entities.ValueKind == JsonValueKind.Array
            ? entities.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];
        if (types.Count == 0)
        {
            return;
        }

        if (config.TryGetProperty("reentrancy", out var reentrancy) && reentrancy.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.True)
        {
            SidecarLog.Unsupported(Logger, Name, "actor reentrancy");
        }

        if (config.TryGetProperty("entitiesConfig", out var perType) && perType.ValueKind == JsonValueKind.Array && perType.GetArrayLength() > 0)
        {
            SidecarLog.Unsupported(Logger, Name, "per-type actor configuration (entitiesConfig); the app-wide values apply");
        }

        ActorTypes = types;
        Infrastructure.Placement.Register(new ActorHost(
            Name,
            AppId,
            Channel!,
            types.ToHashSet(StringComparer.Ordinal),
            Duration(config, "actorIdleTimeout", TimeSpan.FromMinutes(60)),
            Duration(config, "actorScanInterval", TimeSpan.FromSeconds(30))));
    }

    private void RegisterSubscriptions(JsonElement subscriptions)
    {
        var declared = new List<DeclaredSubscription>();
        foreach (var item in subscriptions.EnumerateArray())
        {
            var pubSub = item.GetProperty("pubsubname").GetString()!;
            var topic = item.GetProperty("topic").GetString()!;
            var route = item.TryGetProperty("route", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (item.TryGetProperty("routes", out var routes) && routes.ValueKind == JsonValueKind.Object)
            {
                if (routes.TryGetProperty("default", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    route = d.GetString();
                }

                if (routes.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array && rules.GetArrayLength() > 0)
                {
                    SidecarLog.RulesIgnored(Logger, Name, topic, route ?? "(none)");
                }
            }

            var deadLetter = item.TryGetProperty("deadLetterTopic", out var dl) && dl.ValueKind == JsonValueKind.String ? dl.GetString() : null;
            if (!pubSubs.TryGetValue(pubSub, out var scopes))
            {
                SidecarLog.SubscriptionPubSubMissing(Logger, Name, topic, pubSub);
                continue;
            }

            if (!scopes.MaySubscribe(topic))
            {
                SidecarLog.SubscriptionNotAllowed(Logger, Name, topic, pubSub, AppId);
                continue;
            }

            var subscription = new DeclaredSubscription(pubSub, topic, route ?? "/" + topic, string.IsNullOrEmpty(deadLetter) ? null : deadLetter);
            declared.Add(subscription);
            var handler = new SubscriptionHandler(this, subscription, Options.Resources.InboundRetry(AppId, pubSub));
            Infrastructure.Broker.Subscribe(new Subscriber(AppId, Name, pubSub, topic, handler, scopes.Workers));
        }

        Subscriptions = declared;
    }

    private async Task<JsonElement?> ReadAppJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await Channel!.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            SidecarLog.AppConfigFailed(Logger, Name, path, (int)response.StatusCode);
            return null;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return body.Length == 0 ? null : JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<bool> WaitForPortAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = Infrastructure.Time.GetUtcNow() + Options.AppStartTimeout;
        while (Infrastructure.Time.GetUtcNow() < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }

        return false;
    }

    private static TimeSpan Duration(JsonElement config, string name, TimeSpan fallback) =>
        config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString())
            ? DurationParser.Parse(value.GetString()!)
            : fallback;
}
