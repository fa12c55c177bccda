using Messenger.LoadTests.Client;

namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// A server to load: the messenger host or the bare relay, with its pid when known, and the gateways its WebSockets
/// go to (none: <see cref="BaseUri"/> itself).
/// </summary>
public sealed record TargetEndpoint(string Name, Uri BaseUri, int? Pid, bool InProcess = false, IReadOnlyList<Uri>? Gateways = null)
{
    public const string MessengerName = "messenger";
    public const string RelayName = "relay";

    public Uri WebSocketBase => AsWebSocket(BaseUri);

    /// <summary>Where <paramref name="user"/>'s WebSockets go: the gateways round robin by user index, as a load balancer would spread them.</summary>
    public Uri WebSocketBaseFor(LoadUser user) =>
        Gateways is { Count: > 0 } gateways ? AsWebSocket(gateways[user.Index % gateways.Count]) : WebSocketBase;

    private static Uri AsWebSocket(Uri uri) => new UriBuilder(uri) { Scheme = "ws" }.Uri;
}
