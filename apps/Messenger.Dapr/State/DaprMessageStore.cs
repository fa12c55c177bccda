using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Dapr.Actors;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// The read side over Dapr. A page of history is a range of seqs below the conversation's lastSeq (asked of its
/// actor), read through the <see cref="HistoryCache"/>; nothing above lastSeq is ever read. A gap fill reads its few
/// recent seqs straight from the state store. A reply's preview is worked out from the quoted message as it is now
/// (stored replies carry none). Conversation lists come
/// from <c>user:{id}:convs</c> and each conversation's actor (which knows members, cursors and unread counts).
/// </summary>
public sealed class DaprMessageStore(
    ConversationActors actors, HistoryCache history, UserConversationIndex index, StateRecords records, IOptions<DaprOptions> options) : IMessageStore
{
    private sealed record DirectPairClaim(string ConversationId);

    public async Task<IReadOnlyList<Message>> GetMessagesAsync(string conversationId, HistoryQuery query, CancellationToken cancellationToken)
    {
        var state = await actors.Of(conversationId).GetAsync(cancellationToken);
        if (state is null || state.LastSeq == 0)
        {
            return [];
        }

        long from, to;
        if (query.AfterSeq is { } after)
        {
            from = Math.Max(1, after + 1);
            to = Math.Min(state.LastSeq, after + query.Limit);
            if (query.BeforeSeq is { } cap)
            {
                to = Math.Min(to, cap - 1);
            }
        }
        else
        {
            to = Math.Min(state.LastSeq, (query.BeforeSeq ?? state.LastSeq + 1) - 1);
            from = Math.Max(1, to - query.Limit + 1);
        }

        return await WithPreviewsAsync(conversationId, await history.ReadAsync(conversationId, from, to, state.LastChangeSeq, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// A gap fill: a few seqs just below a message that is being delivered, which the history cache's blocks do not hold
    /// yet (reading and rewriting a block for them would cost two cache calls for nothing), so straight from the store.
    /// </summary>
    public async Task<IReadOnlyList<Message>> GetRangeAsync(string conversationId, long fromSeq, long toSeq, CancellationToken cancellationToken)
    {
        var from = Math.Max(1, fromSeq);
        if (toSeq < from)
        {
            return [];
        }

        var keys = new List<string>((int)(toSeq - from + 1));
        for (var seq = from; seq <= toSeq; seq++)
        {
            keys.Add(StateKeys.Message(conversationId, seq));
        }

        return await WithPreviewsAsync(conversationId, await ReadSeqsAsync(conversationId, keys, cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlySet<long>> GetHiddenAsync(string conversationId, string userId, CancellationToken cancellationToken) =>
        (await records.GetAsync<HiddenSeqs>(DaprNames.StateStore, StateKeys.Hidden(conversationId, userId), cancellationToken))?.Items.ToHashSet()
        ?? [];

    public async Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string userId, CancellationToken cancellationToken)
    {
        var summaries = await EachConversationAsync(userId, (actor, token) => actor.SummarizeAsync(userId, token), cancellationToken);
        return summaries.OfType<ConversationSummary>()
            .OrderByDescending(s => s.State.LastActivityAt)
            .ThenBy(s => s.State.ConversationId, StringComparer.Ordinal)
            .ToList();
    }

    public Task<ConversationSummary?> GetSummaryAsync(string conversationId, string userId, CancellationToken cancellationToken) =>
        actors.Of(conversationId).SummarizeAsync(userId, cancellationToken);

    public async Task<IReadOnlyList<string>> GetConversationIdsAsync(string userId, CancellationToken cancellationToken) =>
        (await MemberStatesAsync(userId, cancellationToken)).Select(s => s.ConversationId).ToList();

    public async Task<IReadOnlyList<string>> GetContactIdsAsync(string userId, CancellationToken cancellationToken) =>
        (await MemberStatesAsync(userId, cancellationToken))
            .SelectMany(s => s.MemberIds)
            .Where(id => id != userId)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    public async Task<string?> FindDirectPairAsync(string userA, string userB, CancellationToken cancellationToken) =>
        (await records.GetAsync<DirectPairClaim>(DaprNames.StateStore, StateKeys.DirectPair(userA, userB), cancellationToken))?.ConversationId;

    public async Task<string> ClaimDirectPairAsync(string userA, string userB, string conversationId, CancellationToken cancellationToken) =>
        (await records.InsertIfAbsentAsync(DaprNames.StateStore, StateKeys.DirectPair(userA, userB), new DirectPairClaim(conversationId), cancellationToken))
        .ConversationId;

    /// <summary>Fills in each reply's preview from the quoted message: from the page when it is there, else from the store.</summary>
    private async Task<IReadOnlyList<Message>> WithPreviewsAsync(string conversationId, IReadOnlyList<Message> page, CancellationToken cancellationToken)
    {
        var quoted = page.Where(m => m.ReplyTo is not null).Select(m => m.ReplyTo!.Value).Distinct().ToList();
        if (quoted.Count == 0)
        {
            return page;
        }

        var targets = page.Where(m => quoted.Contains(m.Seq)).ToDictionary(m => m.Seq);
        var missing = quoted.Where(s => !targets.ContainsKey(s)).Select(s => StateKeys.Message(conversationId, s)).ToList();
        if (missing.Count > 0)
        {
            foreach (var target in await ReadSeqsAsync(conversationId, missing, cancellationToken))
            {
                targets[target.Seq] = target;
            }
        }

        return page
            .Select(m => m.ReplyTo is { } to ? m with { ReplyPreview = targets.TryGetValue(to, out var t) ? ReplyPreview.Of(t) : ReplyPreview.Gone } : m)
            .ToList();
    }

    private async Task<List<Message>> ReadSeqsAsync(string conversationId, List<string> keys, CancellationToken cancellationToken)
    {
        var items = await records.Client.GetBulkStateAsync<Message?>(DaprNames.StateStore, keys, options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        return items.Select(i => i.Value).OfType<Message>().Where(m => m.ConversationId == conversationId).OrderBy(m => m.Seq).ToList();
    }

    private async Task<IReadOnlyList<ConversationState>> MemberStatesAsync(string userId, CancellationToken cancellationToken)
    {
        var states = await EachConversationAsync(userId, (actor, token) => actor.GetAsync(token), cancellationToken);
        return states.OfType<ConversationState>().Where(s => s.IsMember(userId)).ToList();
    }

    /// <summary>Asks the actor of every conversation in the user's index, a few at a time; keeps the index's order.</summary>
    private async Task<T?[]> EachConversationAsync<T>(
        string userId, Func<IConversationActor, CancellationToken, Task<T?>> ask, CancellationToken cancellationToken)
    {
        var ids = await index.GetAsync(userId, cancellationToken);
        var results = new T?[ids.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ids.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelCalls, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await ask(actors.Of(ids[i]), token));
        return results;
    }
}
