namespace Messenger.LoadTests.Relay;

/// <summary>A relay conversation: members and a seq counter, nothing stored.</summary>
public sealed class RelayConversation(string conversationId, string type, string? title, RelayUser[] members)
{
    public string ConversationId { get; } = conversationId;

    public string Type { get; } = type;

    public string? Title { get; } = title;

    public RelayUser[] Members { get; } = members;

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Held while a seq is taken and the frames are queued, so every connection sees seqs in order.</summary>
    public Lock Gate { get; } = new();

    public long LastSeq { get; set; }

    public bool HasMember(RelayUser user) => Array.IndexOf(Members, user) >= 0;
}
