using System.Collections.Immutable;
using System.Text.Json;
using Dapr.Actors.Runtime;
using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Dapr.State;

namespace Messenger.Dapr.Actors;

/// <summary>
/// The conversation state store of one ConversationActor. Members, cursors and the head (last seq) are actor state,
/// saved in one transaction per turn. Messages go to the state store under deterministic keys
/// (<c>conv:{id}:msg:{seq}</c>) together with their clientMessageId entry, in one transaction, before the actor state
/// moves: a crash in between leaves a message above lastSeq, which no reader looks at and the next append overwrites,
/// never a lastSeq that points at nothing. Membership goes to the users' indexes before a member is added and after
/// one is removed, so an index may name a conversation too many (readers check), never one too few. A reaction, edit
/// or delete is stored like a message, in one transaction with its target as folded; a reply is stored without its
/// preview (readers work it out from the quoted message as it is), so a delete leaves no copy of the text behind.
/// </summary>
public sealed class ActorConversationStateStore(
    IActorStateManager actorState, StateRecords records, UserConversationIndex index, DaprOptions options) : IConversationStateStore
{
    private const int ScanPage = 100;
    private Message? lastMessage;

    public async Task<ConversationState?> LoadAsync(string conversationId, CancellationToken cancellationToken)
    {
        var meta = await actorState.TryGetStateAsync<ConversationMeta>(ActorStateNames.Meta, cancellationToken);
        if (!meta.HasValue)
        {
            return null;
        }

        var members = await actorState.TryGetStateAsync<ImmutableArray<string>>(ActorStateNames.Members, cancellationToken);
        var cursors = await actorState.TryGetStateAsync<ImmutableDictionary<string, Cursor>>(ActorStateNames.Cursors, cancellationToken);
        var head = meta.Value;
        return new ConversationState(
            conversationId, head.Type, head.Title, head.CreatorId, head.CreatedAt,
            members.HasValue && !members.Value.IsDefault ? members.Value : [],
            head.LastSeq, head.LastActivityAt,
            cursors.HasValue && cursors.Value is not null ? cursors.Value.WithComparers(StringComparer.Ordinal) : ImmutableDictionary.Create<string, Cursor>(StringComparer.Ordinal))
        {
            AdminIds = head.AdminIds is { IsDefault: false } admins ? admins : [],
            BlockedBy = head.BlockedBy is { IsDefault: false } blocked ? blocked : [],
            LastChangeSeq = head.LastChangeSeq,
            LastMessageSeq = head.LastMessageSeq ?? head.LastSeq,
        };
    }

    public Task<Message?> FindBySeqAsync(string conversationId, long seq, CancellationToken cancellationToken) =>
        records.GetAsync<Message>(DaprNames.StateStore, StateKeys.Message(conversationId, seq), cancellationToken);

    public async Task<Message?> FindByClientMessageIdAsync(string conversationId, string senderId, string clientMessageId, CancellationToken cancellationToken)
    {
        var entry = await records.GetAsync<ClientMessageEntry>(
            DaprNames.StateStore, StateKeys.ClientMessage(conversationId, senderId, clientMessageId), cancellationToken);
        var meta = await actorState.TryGetStateAsync<ConversationMeta>(ActorStateNames.Meta, cancellationToken);
        if (entry is null || !meta.HasValue || entry.Seq > meta.Value.LastSeq)
        {
            // Nothing, or what an append that crashed before its head moved left behind.
            return null;
        }

        var message = await records.GetAsync<Message>(DaprNames.StateStore, StateKeys.Message(conversationId, entry.Seq), cancellationToken);
        return message is not null && message.SenderId == senderId && message.ClientMessageId == clientMessageId ? message : null;
    }

    public async Task SaveCreatedAsync(ConversationState state, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            state.MemberIds,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelCalls, CancellationToken = cancellationToken },
            async (userId, token) => await index.AddAsync(userId, state.ConversationId, token));
        await SetHeadAsync(state, cancellationToken);
        await actorState.SetStateAsync(ActorStateNames.Members, state.MemberIds, cancellationToken);
        await actorState.SetStateAsync(ActorStateNames.Cursors, state.Cursors, cancellationToken);
        await actorState.SetStateAsync(ActorStateNames.OwnUnread, ImmutableDictionary<string, ImmutableArray<long>>.Empty, cancellationToken);
        await actorState.SaveStateAsync(cancellationToken);
    }

    public async Task SaveAppendedAsync(ConversationState state, Message message, CancellationToken cancellationToken)
    {
        await records.Client.ExecuteStateTransactionAsync(
            DaprNames.StateStore,
            [
                Upsert(StateKeys.Message(message.ConversationId, message.Seq), message with { ReplyPreview = null }),
                Upsert(StateKeys.ClientMessage(message.ConversationId, message.SenderId, message.ClientMessageId), new ClientMessageEntry(message.Seq)),
            ],
            cancellationToken: cancellationToken);
        var own = await OwnAsync(cancellationToken);
        var mine = own.TryGetValue(message.SenderId, out var seqs) && !seqs.IsDefault ? seqs : [];
        await actorState.SetStateAsync(ActorStateNames.OwnUnread, own.SetItem(message.SenderId, mine.Add(message.Seq)), cancellationToken);
        await SetHeadAsync(state, cancellationToken);
        await actorState.SaveStateAsync(cancellationToken);
        lastMessage = message;
    }

    /// <summary>
    /// The event and its folded target in one state transaction, then the head (whose <see cref="ConversationMeta.LastChangeSeq"/>
    /// tells history readers that cached blocks from before are stale). The event is nobody's unread message.
    /// </summary>
    public async Task SaveChangedAsync(ConversationState state, Message change, Message target, CancellationToken cancellationToken)
    {
        await records.Client.ExecuteStateTransactionAsync(
            DaprNames.StateStore,
            [
                Upsert(StateKeys.Message(change.ConversationId, change.Seq), change),
                Upsert(StateKeys.ClientMessage(change.ConversationId, change.SenderId, change.ClientMessageId), new ClientMessageEntry(change.Seq)),
                Upsert(StateKeys.Message(target.ConversationId, target.Seq), target with { ReplyPreview = null }),
            ],
            cancellationToken: cancellationToken);
        await actorState.SetStateAsync(ActorStateNames.Changes, (await ChangesAsync(cancellationToken)).Add(change.Seq), cancellationToken);
        await SetHeadAsync(state, cancellationToken);
        await actorState.SaveStateAsync(cancellationToken);
        if (lastMessage?.Seq == target.Seq)
        {
            lastMessage = target;
        }
    }

    public Task SaveHiddenAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken) =>
        records.UpdateAsync<HiddenSeqs>(
            DaprNames.StateStore,
            StateKeys.Hidden(conversationId, userId),
            current => current is not null && current.Items.Contains(seq) ? current : new HiddenSeqs((current?.Items ?? []).Add(seq)),
            cancellationToken);

    public async Task SaveCursorAsync(ConversationState state, string userId, CancellationToken cancellationToken)
    {
        await actorState.SetStateAsync(ActorStateNames.Cursors, state.Cursors, cancellationToken);
        var changes = await ChangesAsync(cancellationToken);
        var everyoneRead = state.MemberIds.IsDefaultOrEmpty ? 0 : state.MemberIds.Min(m => state.CursorOf(m).ReadSeq);
        if (changes.Any(s => s <= everyoneRead))
        {
            await actorState.SetStateAsync(ActorStateNames.Changes, changes.RemoveAll(s => s <= everyoneRead), cancellationToken);
        }

        var own = await OwnAsync(cancellationToken);
        if (own.TryGetValue(userId, out var seqs) && !seqs.IsDefault)
        {
            var read = state.CursorOf(userId).ReadSeq;
            if (seqs.Any(s => s <= read))
            {
                await actorState.SetStateAsync(ActorStateNames.OwnUnread, own.SetItem(userId, seqs.RemoveAll(s => s <= read)), cancellationToken);
            }
        }

        await actorState.SaveStateAsync(cancellationToken);
    }

    public async Task SaveMembersAsync(ConversationState state, string? added, string? removed, CancellationToken cancellationToken)
    {
        if (added is not null)
        {
            await index.AddAsync(added, state.ConversationId, cancellationToken);
            var own = await OwnAsync(cancellationToken);
            if (own.ContainsKey(added))
            {
                // A former member comes back with their cursors at 0: count their own messages again, all of them.
                await actorState.SetStateAsync(ActorStateNames.OwnUnread, own.SetItem(added, await ScanOwnAsync(state, added, cancellationToken)), cancellationToken);
            }
        }

        await actorState.SetStateAsync(ActorStateNames.Members, state.MemberIds, cancellationToken);
        await actorState.SetStateAsync(ActorStateNames.Cursors, state.Cursors, cancellationToken);
        await SetHeadAsync(state, cancellationToken);
        await actorState.SaveStateAsync(cancellationToken);
        if (removed is not null)
        {
            await index.RemoveAsync(removed, state.ConversationId, cancellationToken);
        }
    }

    public async Task SaveBlocksAsync(ConversationState state, CancellationToken cancellationToken)
    {
        await SetHeadAsync(state, cancellationToken);
        await actorState.SaveStateAsync(cancellationToken);
    }

    /// <summary>
    /// The conversation in <paramref name="userId"/>'s list: last message (as folded) and unread count (others'
    /// messages above their read cursor; reactions, edits and deletes are no message).
    /// </summary>
    public async Task<ConversationSummary?> SummarizeAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        var current = await LoadAsync(conversationId, cancellationToken);
        if (current is null || !current.IsMember(userId))
        {
            return null;
        }

        var read = current.CursorOf(userId).ReadSeq;
        var own = await OwnAsync(cancellationToken);
        var mine = own.TryGetValue(userId, out var seqs) && !seqs.IsDefault ? seqs.Count(s => s > read) : 0;
        var changes = (await ChangesAsync(cancellationToken)).Count(s => s > read);
        var last = await LastMessageAsync(current, cancellationToken);
        return new ConversationSummary(current, last, Math.Max(0, current.LastSeq - read - mine - changes));
    }

    private async Task<Message?> LastMessageAsync(ConversationState current, CancellationToken cancellationToken)
    {
        if (current.LastMessageSeq == 0)
        {
            return null;
        }

        if (lastMessage?.Seq != current.LastMessageSeq)
        {
            lastMessage = await records.GetAsync<Message>(DaprNames.StateStore, StateKeys.Message(current.ConversationId, current.LastMessageSeq), cancellationToken);
        }

        return lastMessage;
    }

    private async Task<ImmutableArray<long>> ScanOwnAsync(ConversationState current, string userId, CancellationToken cancellationToken)
    {
        var seqs = ImmutableArray.CreateBuilder<long>();
        for (var from = 1L; from <= current.LastSeq; from += ScanPage)
        {
            var keys = new List<string>();
            for (var seq = from; seq < from + ScanPage && seq <= current.LastSeq; seq++)
            {
                keys.Add(StateKeys.Message(current.ConversationId, seq));
            }

            var page = await records.Client.GetBulkStateAsync<Message?>(DaprNames.StateStore, keys, options.MaxParallelCalls, cancellationToken: cancellationToken);
            seqs.AddRange(page.Select(i => i.Value).OfType<Message>().Where(m => m.SenderId == userId && m.IsMessage).Select(m => m.Seq));
        }

        seqs.Sort();
        return seqs.ToImmutable();
    }

    private async Task<ImmutableArray<long>> ChangesAsync(CancellationToken cancellationToken)
    {
        var changes = await actorState.TryGetStateAsync<ImmutableArray<long>>(ActorStateNames.Changes, cancellationToken);
        return changes.HasValue && !changes.Value.IsDefault ? changes.Value : [];
    }

    private async Task<ImmutableDictionary<string, ImmutableArray<long>>> OwnAsync(CancellationToken cancellationToken)
    {
        var own = await actorState.TryGetStateAsync<ImmutableDictionary<string, ImmutableArray<long>>>(ActorStateNames.OwnUnread, cancellationToken);
        return own.HasValue && own.Value is not null ? own.Value.WithComparers(StringComparer.Ordinal) : ImmutableDictionary.Create<string, ImmutableArray<long>>(StringComparer.Ordinal);
    }

    private Task SetHeadAsync(ConversationState head, CancellationToken cancellationToken) =>
        actorState.SetStateAsync(
            ActorStateNames.Meta,
            new ConversationMeta(
                head.Type, head.Title, head.CreatorId, head.CreatedAt, head.LastSeq, head.LastActivityAt,
                head.AdminIds.IsDefaultOrEmpty ? null : head.AdminIds, head.BlockedBy.IsDefaultOrEmpty ? null : head.BlockedBy,
                head.LastChangeSeq, head.LastMessageSeq),
            cancellationToken);

    private static StateTransactionRequest Upsert<T>(string key, T value) =>
        new(key, JsonSerializer.SerializeToUtf8Bytes(value, DaprJson.Options), StateOperationType.Upsert);
}
