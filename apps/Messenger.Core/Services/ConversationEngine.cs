using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Core.Telemetry;

namespace Messenger.Core.Services;

/// <summary>
/// The rules of one conversation, applied by its serial owner: membership checks, clientMessageId dedupe, seq
/// assignment, the block flag of a direct conversation, cursor moves and membership changes (admins only). The owner guarantees one call at a time per conversation;
/// every change is saved before the call returns. A reaction, edit or delete is an event with the next seq like a
/// message; it is stored together with its target as folded (<see cref="MessageFold"/>).
/// </summary>
public sealed class ConversationEngine(IConversationStateStore store, TimeProvider time, ChatOptions options)
{
    public async Task<ConversationState> CreateAsync(ConversationState initial, CancellationToken cancellationToken)
    {
        var existing = await store.LoadAsync(initial.ConversationId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        await store.SaveCreatedAsync(initial, cancellationToken);
        return initial;
    }

    public async Task<AppendOutcome> AppendAsync(string conversationId, MessageDraft draft, CancellationToken cancellationToken)
    {
        using var span = MessengerTelemetry.Source.StartActivity(MessengerTelemetry.AppendSpan);
        span?.SetTag(MessengerTelemetry.ConversationIdAttribute, conversationId);
        var state = await LoadMemberViewAsync(conversationId, draft.SenderId, cancellationToken);

        var previous = await store.FindByClientMessageIdAsync(conversationId, draft.SenderId, draft.ClientMessageId, cancellationToken);
        if (previous is not null)
        {
            if (previous.ReplyTo is { } quoted && previous.ReplyPreview is null)
            {
                var target = await FindAsync(state, quoted, cancellationToken);
                previous = previous with { ReplyPreview = target is null ? ReplyPreview.Gone : ReplyPreview.Of(target) };
            }

            return new AppendOutcome(previous, Duplicate: true, state.MemberIds, state.Type, state.Title);
        }

        // The flag is part of the state the owner holds anyway: checking it costs no read. Taking one's own message
        // back stays possible.
        if (state.IsBlocked && draft.Kind != MessageKind.Delete)
        {
            throw state.Blocks(draft.SenderId)
                ? ChatException.Forbidden("You block this user: unblock them to send.")
                : ChatException.Forbidden("You cannot send messages in this conversation.");
        }

        // Stored to the millisecond, so the time is cut there before anyone sees it.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var message = new Message(
            Ids.New("m_"), conversationId, state.LastSeq + 1, draft.SenderId, draft.ClientMessageId, draft.Text, draft.Media, now)
        {
            Kind = draft.Kind, TargetSeq = draft.TargetSeq, Emoji = draft.Emoji, ReplyTo = draft.ReplyTo,
        };
        Message? folded = null;
        string? released = null;
        if (draft.Kind != MessageKind.Message)
        {
            var target = MessageFold.RequireTarget(await FindAsync(state, draft.TargetSeq, cancellationToken));
            folded = MessageFold.Apply(target, message, options.EditWindow);
            released = draft.Kind == MessageKind.Delete ? target.Media?.MediaId : null;
        }
        else if (draft.ReplyTo is { } replyTo)
        {
            message = message with { ReplyPreview = ReplyPreview.Of(MessageFold.RequireTarget(await FindAsync(state, replyTo, cancellationToken))) };
        }

        // Only a message is activity that moves the conversation up a list.
        var next = message.IsMessage
            ? state with { LastSeq = message.Seq, LastActivityAt = now, LastMessageSeq = message.Seq }
            : state with { LastSeq = message.Seq, LastChangeSeq = message.Seq };
        using (var commit = MessengerTelemetry.Source.StartActivity(MessengerTelemetry.CommitSpan))
        {
            commit?.SetTag(MessengerTelemetry.MessageSeqAttribute, message.Seq);
            if (folded is null)
            {
                await store.SaveAppendedAsync(next, message, cancellationToken);
            }
            else
            {
                await store.SaveChangedAsync(next, message, folded, cancellationToken);
            }
        }

        span?.SetTag(MessengerTelemetry.MessageSeqAttribute, message.Seq);
        MessengerTelemetry.MessagesAppended.Add(1, message.Media is null ? MessengerTelemetry.TextKind : MessengerTelemetry.MediaKind);
        return new AppendOutcome(message, Duplicate: false, next.MemberIds, next.Type, next.Title) { Target = folded, ReleasedMedia = released };
    }

    /// <summary>
    /// Leaves the message at <paramref name="seq"/> out of <paramref name="userId"/>'s own history reads ("delete for
    /// me"); nobody else's changes. Hiding it twice is no change.
    /// </summary>
    public async Task HideAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken)
    {
        var state = await LoadMemberViewAsync(conversationId, userId, cancellationToken);
        var target = await FindAsync(state, seq, cancellationToken);
        if (target is null || !target.IsMessage)
        {
            throw ChatException.NotFound("Message not found.");
        }

        await store.SaveHiddenAsync(conversationId, userId, seq, cancellationToken);
    }

    public async Task<CursorOutcome> AdvanceCursorAsync(string conversationId, CursorMove move, CancellationToken cancellationToken)
    {
        var state = await LoadMemberViewAsync(conversationId, move.UserId, cancellationToken);
        var current = state.CursorOf(move.UserId);
        var moved = current.Advance(move.DeliveredSeq, move.ReadSeq, state.LastSeq);
        if (ReferenceEquals(moved, current))
        {
            return new CursorOutcome(current, Changed: false, state.MemberIds);
        }

        var next = state with { Cursors = state.Cursors.SetItem(move.UserId, moved) };
        await store.SaveCursorAsync(next, move.UserId, cancellationToken);
        return new CursorOutcome(moved, Changed: true, next.MemberIds);
    }

    public async Task<MembershipOutcome> ChangeMembersAsync(string conversationId, MembershipChange change, int maxMembers, CancellationToken cancellationToken)
    {
        var state = await LoadMemberViewAsync(conversationId, change.ByUserId, cancellationToken);
        return change.Action switch
        {
            MembershipAction.Add => await AddAsync(state, change, maxMembers, cancellationToken),
            MembershipAction.Remove => await RemoveAsync(state, change, cancellationToken),
            MembershipAction.Promote => await PromoteAsync(state, change, cancellationToken),
            _ => throw ChatException.BadRequest("Unknown membership change."),
        };
    }

    /// <summary>
    /// Sets or clears the block flag of a direct conversation for <see cref="BlockChange.BlockerId"/> (one of its two
    /// members). Saved only when it changes; while anyone blocks, <see cref="AppendAsync"/> refuses new messages.
    /// </summary>
    public async Task<ConversationState> SetBlockAsync(string conversationId, BlockChange change, CancellationToken cancellationToken)
    {
        var state = await LoadMemberViewAsync(conversationId, change.BlockerId, cancellationToken);
        if (state.Type != ConversationType.Direct)
        {
            throw ChatException.BadRequest("Only a direct conversation has a block flag.");
        }

        var blockedBy = state.BlockedBy.IsDefault ? [] : state.BlockedBy;
        var next = change.Blocks
            ? blockedBy.Contains(change.BlockerId) ? blockedBy : blockedBy.Add(change.BlockerId)
            : blockedBy.Remove(change.BlockerId);
        if (next.SequenceEqual(blockedBy))
        {
            return state;
        }

        var updated = state with { BlockedBy = next };
        await store.SaveBlocksAsync(updated, cancellationToken);
        return updated;
    }

    public Task<ConversationState?> GetAsync(string conversationId, CancellationToken cancellationToken) =>
        store.LoadAsync(conversationId, cancellationToken);

    private async Task<MembershipOutcome> AddAsync(ConversationState state, MembershipChange change, int maxMembers, CancellationToken cancellationToken)
    {
        if (state.Type == ConversationType.Direct)
        {
            throw ChatException.BadRequest("Members cannot be added to a direct conversation.");
        }

        RequireAdmin(state, change.ByUserId, "add members");
        if (state.IsMember(change.UserId))
        {
            return new MembershipOutcome(state, Changed: false);
        }

        if (state.MemberIds.Length >= maxMembers)
        {
            throw ChatException.BadRequest($"A group has at most {maxMembers} members.");
        }

        var next = state with { MemberIds = state.MemberIds.Add(change.UserId), AdminIds = state.Admins, LastActivityAt = time.GetUtcNow() };
        await store.SaveMembersAsync(next, added: change.UserId, removed: null, cancellationToken);
        return new MembershipOutcome(next, Changed: true);
    }

    private async Task<MembershipOutcome> RemoveAsync(ConversationState state, MembershipChange change, CancellationToken cancellationToken)
    {
        if (state.Type == ConversationType.Direct)
        {
            throw ChatException.BadRequest("Members cannot be removed from a direct conversation.");
        }

        if (change.ByUserId != change.UserId)
        {
            RequireAdmin(state, change.ByUserId, "remove other members");
        }

        if (!state.IsMember(change.UserId))
        {
            return new MembershipOutcome(state, Changed: false);
        }

        var members = state.MemberIds.Remove(change.UserId);
        var admins = state.Admins.Remove(change.UserId);
        if (admins.IsEmpty && !members.IsEmpty)
        {
            // The last admin left: the longest-standing member (members are kept in the order they joined) takes over.
            admins = [members[0]];
        }

        var next = state with { MemberIds = members, AdminIds = admins, Cursors = state.Cursors.Remove(change.UserId) };
        await store.SaveMembersAsync(next, added: null, removed: change.UserId, cancellationToken);
        return new MembershipOutcome(next, Changed: true);
    }

    private async Task<MembershipOutcome> PromoteAsync(ConversationState state, MembershipChange change, CancellationToken cancellationToken)
    {
        if (state.Type == ConversationType.Direct)
        {
            throw ChatException.BadRequest("A direct conversation has no admins.");
        }

        RequireAdmin(state, change.ByUserId, "make others admins");
        if (!state.IsMember(change.UserId))
        {
            throw ChatException.BadRequest("Only a member of the group can be made an admin.");
        }

        if (state.IsAdmin(change.UserId))
        {
            return new MembershipOutcome(state, Changed: false);
        }

        var next = state with { AdminIds = state.Admins.Add(change.UserId) };
        await store.SaveMembersAsync(next, added: null, removed: null, cancellationToken);
        return new MembershipOutcome(next, Changed: true);
    }

    private static void RequireAdmin(ConversationState state, string userId, string what)
    {
        if (!state.IsAdmin(userId))
        {
            throw ChatException.Forbidden($"Only a group's admins may {what}.");
        }
    }

    /// <summary>The stored event at <paramref name="seq"/>, if it is one of this conversation's (at most its last seq).</summary>
    private async Task<Message?> FindAsync(ConversationState state, long? seq, CancellationToken cancellationToken) =>
        seq is { } s && s >= 1 && s <= state.LastSeq ? await store.FindBySeqAsync(state.ConversationId, s, cancellationToken) : null;

    /// <summary>Loads the conversation as seen by <paramref name="userId"/>: a non-member learns nothing of it.</summary>
    private async Task<ConversationState> LoadMemberViewAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(conversationId, cancellationToken);
        if (state is null || !state.IsMember(userId))
        {
            throw ChatException.NotFound("Conversation not found.");
        }

        return state;
    }
}
