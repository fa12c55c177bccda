namespace Messenger.Dapr;

/// <summary>
/// The Dapr names the code uses: component names (components/*.yaml), the actor type and the app ids (dapr.yaml).
/// A test reads those files and checks that every name here appears there and nothing else does.
/// </summary>
public static class DaprNames
{
    /// <summary>The state store of record: users, messages, indexes, presence, devices, media metadata, and the actors' state.</summary>
    public const string StateStore = "statestore";

    /// <summary>The read-through cache of recent history (entries expire through <c>ttlInSeconds</c>).</summary>
    public const string CacheStore = "cache";

    /// <summary>The pub/sub component: per-gateway delivery topics, push requests, uploaded media, the dead-letter topic.</summary>
    public const string PubSub = "pubsub";

    /// <summary>The secret store the other components take their credentials from (and the media app its blob storage).</summary>
    public const string SecretStore = "secretstore";

    /// <summary>The serial owner of one conversation, hosted by the messages app.</summary>
    public const string ConversationActorType = "ConversationActor";

    public const string GatewayApp = "gateway";
    public const string MessagesApp = "messages";
    public const string MediaApp = "media";
    public const string PushApp = "push";

    /// <summary>
    /// The secret (in <see cref="SecretStore"/>) holding the media app's blob storage connection string, read by the
    /// media app once its sidecar is up.
    /// </summary>
    public const string MediaBlobConnectionSecret = "media-blob-connection-string";

    public static IReadOnlyList<string> Components { get; } = [StateStore, CacheStore, PubSub, SecretStore];

    public static IReadOnlyList<string> AppIds { get; } = [GatewayApp, MessagesApp, MediaApp, PushApp];

    /// <summary>The secrets the code reads from <see cref="SecretStore"/> itself (the components read others).</summary>
    public static IReadOnlyList<string> Secrets { get; } = [MediaBlobConnectionSecret];
}
