namespace Messenger.Sidecar.PubSub;

/// <summary>One app instance's subscription to a topic. Instances of one app id form one consumer group: each event
/// of the topic goes to one of them (as Redis streams consumer groups named after the app id do). At most
/// <paramref name="Workers"/> events of the component are in flight to one instance at once (daprd's worker pool of the
/// component: Redis streams' <c>concurrency</c>).</summary>
public sealed record Subscriber(string AppId, string InstanceName, string PubSub, string Topic, IEventHandler Handler, int Workers = 1);
