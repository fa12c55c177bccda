namespace Messenger.Core.Events;

/// <summary>Pub/sub topic names. Each gateway instance has two topics of its own (deliveries, ended sessions).</summary>
public static class Topics
{
    public const string GatewayPrefix = "gateway.";
    public const string PushRequests = "push-requests";
    public const string MediaUploaded = "media-uploaded";
    public const string DeadLetter = "deadletter";

    public static string Gateway(string instanceId) => GatewayPrefix + instanceId;

    /// <summary>A gateway instance's second topic, <c>gateway.{instanceId}.sessions</c>: the sessions that ended (logout).</summary>
    public static string GatewaySessions(string instanceId) => GatewayPrefix + instanceId + SessionsSuffix;

    private const string SessionsSuffix = ".sessions";
}
