using Messenger.Core.Domain;

namespace Messenger.Core.Protocol;

/// <summary>A conversation on the wire, as one member sees it.</summary>
public sealed record ConversationDto(
    string ConversationId,
    ConversationType Type,
    string? Title,
    IReadOnlyList<string> MemberIds,
    long LastSeq,
    Message? LastMessage,
    long UnreadCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt)
{
    public static ConversationDto From(ConversationSummary summary) =>
        new(summary.State.ConversationId, summary.State.Type, summary.State.Title, summary.State.MemberIds,
            summary.State.LastSeq, summary.LastMessage, summary.UnreadCount, summary.State.CreatedAt, summary.State.LastActivityAt);
}
