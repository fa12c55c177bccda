namespace Messenger.Core.Events;

/// <summary>Pub/sub topic names. Each gateway instance has a topic of its own.</summary>
public static class Topics
{
    public const string GatewayPrefix = "gateway.";
    public const string PushRequests = "push-requests";
    public const string MediaUploaded = "media-uploaded";
    public const string DeadLetter = "deadletter";

    public static string Gateway(string instanceId) => GatewayPrefix + instanceId;
}
