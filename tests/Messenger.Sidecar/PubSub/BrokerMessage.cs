namespace Messenger.Sidecar.PubSub;

/// <summary>An event as the broker keeps it: the CloudEvent JSON the publishing sidecar built, with its content type;
/// <see cref="Redelivered"/> marks a delivery of an event that was already acknowledged; <see cref="PublishedAt"/> is a
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
public sealed record BrokerMessage(long Sequence, string PubSub, string Topic, byte[] Data, string ContentType, bool Redelivered = false, long PublishedAt = 0);
