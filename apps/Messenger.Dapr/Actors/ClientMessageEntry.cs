namespace Messenger.Dapr.Actors;

/// <summary>What <c>conv:{id}:client:{senderId}:{clientMessageId}</c> holds: the seq that message got.</summary>
public sealed record ClientMessageEntry(long Seq);
