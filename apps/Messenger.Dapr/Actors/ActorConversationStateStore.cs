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
/// one is removed, so an index may name a conversation too many (readers check), never one too few.
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
        };
    }

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
                Upsert(StateKeys.Message(message.ConversationId, message.Seq), message),
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

    public async Task SaveCursorAsync(ConversationState state, string userId, CancellationToken cancellationToken)
    {
        await actorState.SetStateAsync(ActorStateNames.Cursors, state.Cursors, cancellationToken);
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

    /// <summary>The conversation in <paramref name="userId"/>'s list: last message and unread count (others' messages above their read cursor).</summary>
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
        var last = await LastMessageAsync(current, cancellationToken);
        return new ConversationSummary(current, last, Math.Max(0, current.LastSeq - read - mine));
    }

    private async Task<Message?> LastMessageAsync(ConversationState current, CancellationToken cancellationToken)
    {
        if (current.LastSeq == 0)
        {
            return null;
        }

        if (lastMessage?.Seq != current.LastSeq)
        {
            lastMessage = await records.GetAsync<Message>(DaprNames.StateStore, StateKeys.Message(current.ConversationId, current.LastSeq), cancellationToken);
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
            seqs.AddRange(page.Select(i => i.Value).OfType<Message>().Where(m => m.SenderId == userId).Select(m => m.Seq));
        }

        seqs.Sort();
        return seqs.ToImmutable();
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
                head.AdminIds.IsDefaultOrEmpty ? null : head.AdminIds, head.BlockedBy.IsDefaultOrEmpty ? null : head.BlockedBy),
            cancellationToken);

    private static StateTransactionRequest Upsert<T>(string key, T value) =>
        new(key, JsonSerializer.SerializeToUtf8Bytes(value, DaprJson.Options), StateOperationType.Upsert);
}
