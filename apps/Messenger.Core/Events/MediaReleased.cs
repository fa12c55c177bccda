namespace Messenger.Core.Events;

/// <summary>
/// A message carrying the media was deleted for everyone: the media app deletes the media (record, blob, thumbnail)
/// once no other message carries it.
/// </summary>
public sealed record MediaReleased(string MediaId, string ConversationId, long Seq);
