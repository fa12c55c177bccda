using System.Collections.Immutable;
using Dapr;
using Dapr.Client;
using Messenger.Core.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// Read-through cache of history in front of the state store. History is cut into fixed blocks of
/// <see cref="DaprOptions.HistoryBlockSize"/> seqs; a page touches one or two blocks, read from the <c>cache</c>
/// store in one bulk read. A block that lacks what the page needs is completed from the state store (one bulk read of
/// the missing <c>conv:{id}:msg:{seq}</c> keys for all such blocks) and written back with a TTL. A block older than
/// the conversation's last reaction, edit or delete (its <see cref="HistoryBlock.ChangeSeq"/> below the one the
/// reader got from the actor) is stale and read whole again, so a fold is never served stale. The cache is an
/// optimisation: when it fails, the page comes from the state store all the same.
/// </summary>
public sealed class HistoryCache(DaprClient dapr, CacheMetrics metrics, IOptions<DaprOptions> options, ILogger<HistoryCache> logger)
{
    /// <summary>
    /// The messages <paramref name="from"/> to <paramref name="to"/> (both stored: at most the conversation's lastSeq),
    /// ascending, as folded at least up to <paramref name="changeSeq"/> (the conversation's last change, read before).
    /// </summary>
    public async Task<IReadOnlyList<Message>> ReadAsync(string conversationId, long from, long to, long changeSeq, CancellationToken cancellationToken)
    {
        if (to < from)
        {
            return [];
        }

        var size = options.Value.HistoryBlockSize;
        var blocks = new List<long>();
        for (var block = (from - 1) / size; block <= (to - 1) / size; block++)
        {
            blocks.Add(block);
        }

        var cached = await ReadBlocksAsync(conversationId, blocks, changeSeq, cancellationToken);
        var missing = new List<long>();
        var extended = new Dictionary<long, List<Message>>();
        foreach (var block in blocks)
        {
            var have = cached.TryGetValue(block, out var items) ? items : [];
            var need = Math.Min(to, (block + 1) * size);
            var next = block * size + 1 + have.Length;
            if (next > need)
            {
                metrics.Hit();
                continue;
            }

            metrics.Miss();
            extended[block] = [.. have];
            for (var seq = next; seq <= need; seq++)
            {
                missing.Add(seq);
            }
        }

        var fetched = new List<Message>();
        if (missing.Count > 0)
        {
            var items = await dapr.GetBulkStateAsync<Message?>(
                DaprNames.StateStore, missing.Select(s => StateKeys.Message(conversationId, s)).ToList(), options.Value.MaxParallelCalls,
                cancellationToken: cancellationToken);
            fetched.AddRange(items.Select(i => i.Value).OfType<Message>().OrderBy(m => m.Seq));
            foreach (var message in fetched)
            {
                // Only a gap-free run from the block's first seq is cached.
                var block = (message.Seq - 1) / size;
                var list = extended[block];
                if (message.Seq == block * size + 1 + list.Count)
                {
                    list.Add(message);
                }
            }

            await WriteBlocksAsync(conversationId, extended, changeSeq, cancellationToken);
        }

        return cached.Values.SelectMany(b => b)
            .Concat(fetched)
            .Where(m => m.Seq >= from && m.Seq <= to)
            .DistinctBy(m => m.Seq)
            .OrderBy(m => m.Seq)
            .ToList();
    }

    private async Task<Dictionary<long, ImmutableArray<Message>>> ReadBlocksAsync(
        string conversationId, List<long> blocks, long changeSeq, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, ImmutableArray<Message>>();
        try
        {
            var items = await dapr.GetBulkStateAsync<HistoryBlock?>(
                DaprNames.CacheStore, blocks.Select(b => StateKeys.HistoryBlock(conversationId, b)).ToList(), options.Value.MaxParallelCalls,
                cancellationToken: cancellationToken);
            var byKey = items.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
            foreach (var block in blocks)
            {
                if (byKey.GetValueOrDefault(StateKeys.HistoryBlock(conversationId, block)) is { } cached && cached.ChangeSeq >= changeSeq)
                {
                    found[block] = cached.Items;
                }
            }
        }
        catch (DaprException e)
        {
            DaprLog.CacheReadFailed(logger, e, conversationId);
        }

        return found;
    }

    private async Task WriteBlocksAsync(string conversationId, Dictionary<long, List<Message>> blocks, long changeSeq, CancellationToken cancellationToken)
    {
        var ttl = StateRecords.Ttl(options.Value.HistoryCacheTtl);
        var items = blocks
            .Where(b => b.Value.Count > 0)
            .Select(b => new SaveStateItem<HistoryBlock>(StateKeys.HistoryBlock(conversationId, b.Key), new HistoryBlock([.. b.Value], changeSeq), null!, null, ttl))
            .ToList();
        if (items.Count == 0)
        {
            return;
        }

        try
        {
            await dapr.SaveBulkStateAsync(DaprNames.CacheStore, items, cancellationToken);
        }
        catch (DaprException e)
        {
            DaprLog.CacheWriteFailed(logger, e, conversationId);
        }
    }
}
