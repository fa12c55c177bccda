using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Protocol;

namespace Messenger.Core.Services;

/// <summary>
/// What a member can do in conversations, over HTTP and WebSocket alike: create, list, change members, send, read
/// history, move receipt cursors and type. Writes go through the conversation's serial owner; what others must see
/// goes out through the <see cref="Router"/>.
/// </summary>
public sealed class ChatService(
    IConversationOwner owner,
    IMessageStore messages,
    IUserStore users,
    IBlockStore blocks,
    IMediaCatalog media,
    IEventBus bus,
    Router router,
    TimeProvider time,
    ChatOptions options)
{
    public async Task<(ConversationDto Conversation, bool Created)> CreateConversationAsync(
        string userId, ConversationType type, string? title, IReadOnlyList<string>? memberIds, CancellationToken cancellationToken)
    {
        var others = (memberIds ?? []).Select(id => Validate.Id(id, "memberIds")).Where(id => id != userId).Distinct(StringComparer.Ordinal).ToList();
        if (others.Count + 1 > options.MaxGroupMembers)
        {
            throw ChatException.BadRequest($"A group has at most {options.MaxGroupMembers} members.");
        }

        await EnsureUsersExistAsync(others, cancellationToken);
        return type == ConversationType.Direct
            ? await CreateDirectAsync(userId, others, cancellationToken)
            : await CreateGroupAsync(userId, Validate.Title(title), others, cancellationToken);
    }

    public async Task<IReadOnlyList<ConversationDto>> ListConversationsAsync(string userId, CancellationToken cancellationToken) =>
        (await messages.ListConversationsAsync(userId, cancellationToken)).Select(ConversationDto.From).ToList();

    /// <summary>One of the user's conversations, as their list shows it.</summary>
    public async Task<ConversationDto> GetConversationAsync(string userId, string conversationId, CancellationToken cancellationToken) =>
        await messages.GetSummaryAsync(conversationId, userId, cancellationToken) is { } summary
            ? ConversationDto.From(summary)
            : throw ChatException.NotFound("Conversation not found.");

    public Task<IReadOnlyList<string>> GetConversationIdsAsync(string userId, CancellationToken cancellationToken) =>
        messages.GetConversationIdsAsync(userId, cancellationToken);

    public async Task AddMemberAsync(string userId, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        Validate.Id(memberId, "userId");
        await EnsureUsersExistAsync([memberId], cancellationToken);
        if ((await blocks.FindBlockersAsync([memberId], userId, cancellationToken)).Count > 0)
        {
            throw ChatException.Forbidden("This user cannot be added by you.");
        }

        var outcome = await owner.ChangeMembersAsync(conversationId, new MembershipChange(userId, memberId, MembershipAction.Add), cancellationToken);
        if (outcome.Changed)
        {
            await AnnounceAsync(outcome.State, outcome.State.MemberIds, cancellationToken);
        }
    }

    public async Task RemoveMemberAsync(string userId, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        Validate.Id(memberId, "userId");
        var outcome = await owner.ChangeMembersAsync(conversationId, new MembershipChange(userId, memberId, MembershipAction.Remove), cancellationToken);
        if (outcome.Changed)
        {
            await router.RouteAsync([memberId], new ConversationRemovedFrame(conversationId), null, cancellationToken);
            await AnnounceAsync(outcome.State, outcome.State.MemberIds, cancellationToken);
        }
    }

    /// <summary>Makes a member of a group an admin (the caller must be one); every member sees the new roles.</summary>
    public async Task PromoteAsync(string userId, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        Validate.Id(memberId, "userId");
        var outcome = await owner.ChangeMembersAsync(conversationId, new MembershipChange(userId, memberId, MembershipAction.Promote), cancellationToken);
        if (outcome.Changed)
        {
            await AnnounceAsync(outcome.State, outcome.State.MemberIds, cancellationToken);
        }
    }

    /// <summary>A page of history as the user sees it: folded, without the messages they hid ("delete for me").</summary>
    public async Task<IReadOnlyList<Message>> GetHistoryAsync(string userId, string conversationId, HistoryQuery query, CancellationToken cancellationToken)
    {
        await GetAsMemberAsync(userId, conversationId, cancellationToken);
        var hidden = await messages.GetHiddenAsync(conversationId, userId, cancellationToken);
        return hidden.Count == 0
            ? await messages.GetMessagesAsync(conversationId, query, cancellationToken)
            : await HistoryWithout.ReadAsync(messages, conversationId, query, hidden, cancellationToken);
    }

    /// <summary>
    /// Stores the message (once per clientMessageId) and returns as soon as it is committed: nothing is routed yet.
    /// The caller answers the sender first, then hands the outcome to <see cref="FanOutAsync"/>.
    /// </summary>
    public async Task<AppendOutcome> AppendAsync(
        string userId, string conversationId, string? clientMessageId, string? text, string? mediaId, long? replyTo, CancellationToken cancellationToken)
    {
        Validate.Id(conversationId, "conversationId");
        var clientId = Validate.ClientMessageId(clientMessageId);
        Validate.Body(text, mediaId);
        if (replyTo is not null)
        {
            Validate.TargetSeq(replyTo, "replyTo");
        }

        var attached = mediaId is null
            ? null
            : await media.FindAttachableAsync(mediaId, userId, cancellationToken) ?? throw ChatException.NotFound("Media not found.");

        if (attached is not null)
        {
            // Recorded first, so that a stored message never carries media its readers may not fetch.
            await GetAsMemberAsync(userId, conversationId, cancellationToken);
            await media.RecordAttachedAsync(attached.MediaId, conversationId, cancellationToken);
        }

        return await owner.AppendAsync(conversationId, new MessageDraft(userId, clientId, text, attached) { ReplyTo = replyTo }, cancellationToken);
    }

    /// <summary>
    /// Sends a stored message to every connection of every member but <paramref name="exceptConnectionId"/>, and asks
    /// for a push to the members connected nowhere (a message only: not a reaction, edit or delete); nothing for a
    /// duplicate, which went out the first time.
    /// </summary>
    public async Task FanOutAsync(AppendOutcome outcome, string? exceptConnectionId, CancellationToken cancellationToken)
    {
        if (outcome.Duplicate)
        {
            return;
        }

        var message = outcome.Message;
        var offline = await router.RouteAsync(outcome.MemberIds, new MessageFrame(message), exceptConnectionId, cancellationToken);
        if (offline.Count == 0 || !message.IsMessage)
        {
            return;
        }

        var toPush = offline.Where(id => id != message.SenderId).ToList();
        if (toPush.Count > 0)
        {
            await RequestPushAsync(outcome, toPush, cancellationToken);
        }
    }

    /// <summary>
    /// The messages after <paramref name="afterSeq"/> and before <paramref name="beforeSeq"/> (a seq already stored),
    /// page by page: what a connection missed before a message it got. The owner is not asked anything: the message at
    /// <paramref name="beforeSeq"/> reached this user's connection because the user was a member when it was stored
    /// (it was routed to the members, or it is the user's own), and a member may read everything before it; nor is the
    /// head needed, since every seq in the range is below a stored one. Never call it for a seq a client named.
    /// </summary>
    public async IAsyncEnumerable<Message> ReadGapAsync(
        string conversationId, long afterSeq, long beforeSeq, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Validate.Id(conversationId, "conversationId");
        for (var from = afterSeq + 1; from < beforeSeq; from += pageSize)
        {
            var to = Math.Min(beforeSeq - 1, from + pageSize - 1);
            foreach (var message in await messages.GetRangeAsync(conversationId, from, to, cancellationToken))
            {
                yield return message;
            }
        }
    }

    /// <summary>Moves the caller's cursors forward (never back) and tells the other members.</summary>
    public async Task<Cursor> MarkAsync(string userId, string conversationId, long? deliveredSeq, long? readSeq, CancellationToken cancellationToken)
    {
        Validate.Id(conversationId, "conversationId");
        var outcome = await owner.AdvanceCursorAsync(conversationId, new CursorMove(userId, deliveredSeq, readSeq), cancellationToken);
        if (outcome.Changed)
        {
            await router.RouteAsync(Others(outcome.MemberIds, userId), Receipt(conversationId, userId, outcome.Cursor), null, cancellationToken);
        }

        return outcome.Cursor;
    }

    /// <summary>Every member's receipt cursors, so that a client can show sent / delivered / read after a reload.</summary>
    public async Task<IReadOnlyList<ReceiptFrame>> GetReceiptsAsync(string userId, string conversationId, CancellationToken cancellationToken)
    {
        var state = await GetAsMemberAsync(userId, conversationId, cancellationToken);
        return state.MemberIds.Select(id => Receipt(conversationId, id, state.CursorOf(id))).ToList();
    }

    public async Task TypingAsync(string userId, string conversationId, CancellationToken cancellationToken)
    {
        var state = await GetAsMemberAsync(userId, conversationId, cancellationToken);
        if (state.IsBlocked)
        {
            throw ChatException.Forbidden("You cannot type in this conversation.");
        }

        await router.RouteAsync(Others(state.MemberIds, userId), new TypingFrame(conversationId, userId), null, cancellationToken);
    }

    private async Task<(ConversationDto, bool)> CreateDirectAsync(string userId, List<string> others, CancellationToken cancellationToken)
    {
        if (others.Count != 1)
        {
            throw ChatException.BadRequest("A direct conversation names exactly one other user in memberIds.");
        }

        var other = others[0];
        if ((await blocks.FindBlockersAsync([other], userId, cancellationToken)).Count > 0)
        {
            throw ChatException.Forbidden("You cannot start a conversation with this user.");
        }

        var candidate = Ids.New("c_");
        var conversationId = await messages.ClaimDirectPairAsync(userId, other, candidate, cancellationToken);
        var created = conversationId == candidate;
        var initial = NewState(conversationId, ConversationType.Direct, null, userId, [userId, other]);
        if ((await blocks.FindBlockersAsync([userId], other, cancellationToken)).Count > 0)
        {
            initial = initial with { BlockedBy = [userId] };
        }

        var state = await owner.CreateAsync(initial, cancellationToken);
        if (created)
        {
            // A block or unblock of this pair that looked for the conversation before it existed set no flag: the
            // flag is made to agree with the block list now, after the conversation exists.
            state = await ReconcileBlocksAsync(state, cancellationToken);
            await AnnounceAsync(state, state.MemberIds, cancellationToken);
        }

        return (await ViewAsync(state, userId, cancellationToken), created);
    }

    private async Task<(ConversationDto, bool)> CreateGroupAsync(string userId, string? title, List<string> others, CancellationToken cancellationToken)
    {
        if (others.Count > 0 && (await blocks.FindBlockersAsync(others, userId, cancellationToken)).Count > 0)
        {
            throw ChatException.Forbidden("One of memberIds cannot be added by you.");
        }

        var initial = NewState(Ids.New("c_"), ConversationType.Group, title, userId, [userId, .. others]) with { AdminIds = [userId] };
        var state = await owner.CreateAsync(initial, cancellationToken);
        await AnnounceAsync(state, state.MemberIds, cancellationToken);
        return (await ViewAsync(state, userId, cancellationToken), true);
    }

    private ConversationState NewState(string id, ConversationType type, string? title, string creatorId, ImmutableArray<string> members)
    {
        var now = time.GetUtcNow();
        return new ConversationState(id, type, title, creatorId, now, members, 0, now, ImmutableDictionary<string, Cursor>.Empty);
    }

    /// <summary>
    /// Makes the block flag of a direct conversation agree with the block list (each member's block of the other),
    /// through the owner; returns the state as it is afterwards.
    /// </summary>
    private async Task<ConversationState> ReconcileBlocksAsync(ConversationState state, CancellationToken cancellationToken)
    {
        if (state.Type != ConversationType.Direct || state.MemberIds.Length != 2)
        {
            return state;
        }

        var (a, b) = (state.MemberIds[0], state.MemberIds[1]);
        var aBlocks = (await blocks.FindBlockersAsync([a], b, cancellationToken)).Count > 0;
        var bBlocks = (await blocks.FindBlockersAsync([b], a, cancellationToken)).Count > 0;
        if (aBlocks != state.Blocks(a))
        {
            state = await owner.SetBlockAsync(state.ConversationId, new BlockChange(a, aBlocks), cancellationToken);
        }

        if (bBlocks != state.Blocks(b))
        {
            state = await owner.SetBlockAsync(state.ConversationId, new BlockChange(b, bBlocks), cancellationToken);
        }

        return state;
    }

    /// <summary>Tells members what the conversation now looks like (a new member sees it for the first time).</summary>
    private async Task AnnounceAsync(ConversationState state, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken)
    {
        var summary = new ConversationSummary(state, null, 0);
        var dto = ConversationDto.From(summary);
        if (state.LastSeq > 0)
        {
            // The last message proper: the newest events may be reactions, edits or deletes of earlier ones.
            var last = await messages.GetMessagesAsync(state.ConversationId, HistoryQuery.Create(null, null, HistoryQuery.MaxLimit), cancellationToken);
            dto = dto with { LastMessage = last.LastOrDefault(m => m.IsMessage) };
        }

        await router.RouteAsync(recipients, new ConversationFrame(dto), null, cancellationToken);
    }

    private async Task<ConversationDto> ViewAsync(ConversationState state, string userId, CancellationToken cancellationToken) =>
        ConversationDto.From(await messages.GetSummaryAsync(state.ConversationId, userId, cancellationToken) ?? new ConversationSummary(state, null, 0));

    private async Task RequestPushAsync(AppendOutcome outcome, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        var message = outcome.Message;
        if (await users.GetAsync(message.SenderId, cancellationToken) is not { } sender)
        {
            return;
        }

        await bus.PublishAsync(
            Topics.PushRequests,
            new PushRequested(userIds, message.ConversationId, outcome.Type, outcome.Title, sender.UserId, sender.DisplayName,
                message.MessageId, message.Seq, message.Text, message.Media?.ContentType),
            cancellationToken);
    }

    private async Task<ConversationState> GetAsMemberAsync(string userId, string conversationId, CancellationToken cancellationToken)
    {
        Validate.Id(conversationId, "conversationId");
        var state = await owner.GetAsync(conversationId, cancellationToken);
        return state is not null && state.IsMember(userId) ? state : throw ChatException.NotFound("Conversation not found.");
    }

    private async Task EnsureUsersExistAsync(List<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return;
        }

        var found = await users.GetManyAsync(userIds, cancellationToken);
        if (found.Count != userIds.Count)
        {
            throw ChatException.NotFound("Unknown user in memberIds.");
        }
    }

    private static ReceiptFrame Receipt(string conversationId, string userId, Cursor cursor) =>
        new(conversationId, userId, cursor.DeliveredSeq, cursor.ReadSeq);

    private static List<string> Others(IEnumerable<string> memberIds, string userId) => memberIds.Where(id => id != userId).ToList();
}
