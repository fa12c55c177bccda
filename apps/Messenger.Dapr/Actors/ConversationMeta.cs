using System.Collections.Immutable;
using Messenger.Core.Domain;

namespace Messenger.Dapr.Actors;

/// <summary>
/// Actor state <c>meta</c>: the conversation's head, rewritten on every append, with the group's admins and the
/// direct conversation's block flag (both small). They live here, in the state every turn reads anyway, so that the
/// check on a send costs no read; a record written before they existed has neither (the rules of
/// <see cref="ConversationState.Admins"/> apply, and nobody blocks). <see cref="LastChangeSeq"/> (the last reaction,
/// edit or delete) dates the folds a cached history block must hold; <see cref="LastMessageSeq"/> is the last message
/// proper (null in a record from before changes existed, when every event was one: <see cref="LastSeq"/>).
/// </summary>
public sealed record ConversationMeta(
    ConversationType Type,
    string? Title,
    string CreatorId,
    DateTimeOffset CreatedAt,
    long LastSeq,
    DateTimeOffset LastActivityAt,
    ImmutableArray<string>? AdminIds = null,
    ImmutableArray<string>? BlockedBy = null,
    long LastChangeSeq = 0,
    long? LastMessageSeq = null);
