using Messenger.Core.Domain;

namespace Messenger.Core.Protocol;

/// <summary>A conversation on the wire, as one member sees it. <see cref="Members"/> names each member with their role.</summary>
public sealed record ConversationDto(
    string ConversationId,
    ConversationType Type,
    string? Title,
    IReadOnlyList<string> MemberIds,
    IReadOnlyList<MemberDto> Members,
    long LastSeq,
    Message? LastMessage,
    long UnreadCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt)
{
    public static ConversationDto From(ConversationSummary summary)
    {
        var state = summary.State;
        var admins = state.Admins;
        return new(state.ConversationId, state.Type, state.Title, state.MemberIds,
            state.MemberIds.Select(id => new MemberDto(id, admins.Contains(id) ? MemberRole.Admin : MemberRole.Member)).ToList(),
            state.LastSeq, summary.LastMessage, summary.UnreadCount, state.CreatedAt, state.LastActivityAt);
    }
}
