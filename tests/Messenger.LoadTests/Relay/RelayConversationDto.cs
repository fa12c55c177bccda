namespace Messenger.LoadTests.Relay;

/// <summary>The conversation object of the client contract, as the relay returns it.</summary>
public sealed record RelayConversationDto(
    string ConversationId,
    string Type,
    string? Title,
    IReadOnlyList<string> MemberIds,
    long LastSeq,
    int UnreadCount,
    DateTimeOffset CreatedAt)
{
    public static RelayConversationDto From(RelayConversation conversation)
    {
        long lastSeq;
        lock (conversation.Gate)
        {
            lastSeq = conversation.LastSeq;
        }

        return new RelayConversationDto(
            conversation.ConversationId,
            conversation.Type,
            conversation.Title,
            conversation.Members.Select(m => m.UserId).ToArray(),
            lastSeq,
            0,
            conversation.CreatedAt);
    }
}
