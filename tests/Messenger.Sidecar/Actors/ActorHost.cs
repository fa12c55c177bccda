using Messenger.Sidecar.Daprd;

namespace Messenger.Sidecar.Actors;

/// <summary>An app instance that hosts actors: the types it declared in <c>GET /dapr/config</c> and its timeouts.</summary>
public sealed record ActorHost(
    string InstanceName,
    string AppId,
    AppChannel Channel,
    IReadOnlySet<string> Types,
    TimeSpan IdleTimeout,
    TimeSpan ScanInterval);
