using System.Collections.Immutable;

namespace Messenger.Core.Domain;

/// <summary>
/// Everything the serial owner of a conversation needs to decide the next step: members, the last seq and the
/// receipt cursors. Messages themselves are not part of it.
/// </summary>
public sealed record ConversationState(
    string ConversationId,
    ConversationType Type,
    string? Title,
    string CreatorId,
    DateTimeOffset CreatedAt,
    ImmutableArray<string> MemberIds,
    long LastSeq,
    DateTimeOffset LastActivityAt,
    ImmutableDictionary<string, Cursor> Cursors)
{
    public bool IsMember(string userId) => MemberIds.Contains(userId);

    public Cursor CursorOf(string userId) => Cursors.TryGetValue(userId, out var c) ? c : Cursor.Zero;
}
