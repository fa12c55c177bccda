namespace Messenger.LoadTests.Scenarios;

/// <summary>A server to load: the messenger host or the bare relay, with its pid when known.</summary>
public sealed record TargetEndpoint(string Name, Uri BaseUri, int? Pid, bool InProcess = false)
{
    public const string MessengerName = "messenger";
    public const string RelayName = "relay";

    public Uri WebSocketBase => new UriBuilder(BaseUri) { Scheme = "ws" }.Uri;
}
