using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Messenger.Core.Domain;

/// <summary>
/// Everything the serial owner of a conversation needs to decide the next step: members, admins, the last seq, the
/// receipt cursors and, in a direct conversation, who of the two blocks the other. Messages themselves are not part
/// of it.
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
    /// <summary>
    /// The group's admins as stored; empty for a direct conversation and for a group stored before groups had admins
    /// (<see cref="Admins"/> applies the rule for those).
    /// </summary>
    public ImmutableArray<string> AdminIds { get; init; } = [];

    /// <summary>
    /// The seq of the last reaction, edit or delete (0: none): a cache of folded history older than it is stale. Kept
    /// where such a cache exists (Dapr); 0 where it is not stored.
    /// </summary>
    public long LastChangeSeq { get; init; }

    /// <summary>
    /// The seq of the last event that is a message (not a change of one), for the conversation list; 0 where it is not
    /// stored (SQLite asks its rows), and in a record stored before changes existed, where it is <see cref="LastSeq"/>.
    /// </summary>
    public long LastMessageSeq { get; init; }

    /// <summary>In a direct conversation, the members who block the other one; nobody may send while any does.</summary>
    public ImmutableArray<string> BlockedBy { get; init; } = [];

    public bool IsMember(string userId) => MemberIds.Contains(userId);

    public Cursor CursorOf(string userId) => Cursors.TryGetValue(userId, out var c) ? c : Cursor.Zero;

    /// <summary>Whether <paramref name="userId"/> blocks the other member of this direct conversation.</summary>
    public bool Blocks(string userId) => !BlockedBy.IsDefault && BlockedBy.Contains(userId);

    [JsonIgnore]
    public bool IsBlocked => !BlockedBy.IsDefaultOrEmpty;

    /// <summary>
    /// The group's admins. A group always has one while it has members: when none is stored (a group created before
    /// admins existed, or whose admins all left without a successor saved), the creator is its admin if still a
    /// member, otherwise the longest-standing member. A direct conversation has none.
    /// </summary>
    [JsonIgnore]
    public ImmutableArray<string> Admins
    {
        get
        {
            if (Type != ConversationType.Group || MemberIds.IsDefaultOrEmpty)
            {
                return [];
            }

            var stored = AdminIds.IsDefault ? [] : AdminIds.Where(MemberIds.Contains).ToImmutableArray();
            if (stored.Length > 0)
            {
                return stored;
            }

            return [IsMember(CreatorId) ? CreatorId : MemberIds[0]];
        }
    }

    public bool IsAdmin(string userId) => Admins.Contains(userId);

    public MemberRole RoleOf(string userId) => IsAdmin(userId) ? MemberRole.Admin : MemberRole.Member;
}
