namespace Messenger.Dapr.Tests.Fakes;

/// <summary>An event published through the fake sidecar: the topic and the CloudEvent the subscriber would get.</summary>
internal sealed record PublishedEvent(string PubSub, string Topic, string Id, byte[] CloudEvent, byte[] Data);
