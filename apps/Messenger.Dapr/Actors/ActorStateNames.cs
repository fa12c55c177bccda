namespace Messenger.Dapr.Actors;

/// <summary>
/// The ConversationActor's own state (Dapr stores it as <c>messages||ConversationActor||{id}||{name}</c> and writes a
/// turn's changes in one transaction).
/// </summary>
public static class ActorStateNames
{
    public const string Meta = "meta";
    public const string Members = "members";
    public const string Cursors = "cursors";

    /// <summary>Per member, the seqs of their own messages above their read cursor (so unread counts are exact).</summary>
    public const string OwnUnread = "own";

    /// <summary>
    /// The seqs of reactions, edits and deletes above some member's read cursor: they count as nobody's unread
    /// message. Trimmed below every member's read cursor.
    /// </summary>
    public const string Changes = "changes";
}
