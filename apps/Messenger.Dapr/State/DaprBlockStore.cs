using Dapr.Client;
using Messenger.Core.Ports;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// Who blocks whom: <c>user:{id}:blocks</c> holds the ids a user blocks (ETag-guarded: two blocks by one user at
/// once both land). Read only when a direct conversation is started, someone is added to a group, or the list is
/// asked for; a send checks the flag its conversation's actor holds.
/// </summary>
public sealed class DaprBlockStore(StateRecords records, IOptions<DaprOptions> options) : IBlockStore
{
    public Task<bool> AddAsync(string blockerId, string blockedId, CancellationToken cancellationToken) =>
        records.UpdateAsync<BlockList, bool>(
            DaprNames.StateStore,
            StateKeys.UserBlocks(blockerId),
            list => list is not null && list.Ids.Contains(blockedId)
                ? (list, false)
                : (new BlockList((list?.Ids ?? []).Add(blockedId)), true),
            null,
            cancellationToken);

    public Task<bool> RemoveAsync(string blockerId, string blockedId, CancellationToken cancellationToken) =>
        records.UpdateAsync<BlockList, bool>(
            DaprNames.StateStore,
            StateKeys.UserBlocks(blockerId),
            list => list is null || !list.Ids.Contains(blockedId)
                ? (list, false)
                : (list.Ids.Length == 1 ? null : new BlockList(list.Ids.Remove(blockedId)), true),
            null,
            cancellationToken);

    public async Task<IReadOnlyList<string>> FindBlockersAsync(IReadOnlyCollection<string> candidateIds, string blockedId, CancellationToken cancellationToken)
    {
        var candidates = candidateIds.Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        if (candidates.Count == 1)
        {
            var list = await records.GetAsync<BlockList>(DaprNames.StateStore, StateKeys.UserBlocks(candidates[0]), cancellationToken);
            return list is not null && list.Ids.Contains(blockedId) ? candidates : [];
        }

        var keys = candidates.ToDictionary(StateKeys.UserBlocks, id => id, StringComparer.Ordinal);
        var items = await records.Client.GetBulkStateAsync<BlockList?>(
            DaprNames.StateStore, [.. keys.Keys], options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        return items.Where(i => i.Value is not null && i.Value.Ids.Contains(blockedId)).Select(i => keys[i.Key]).ToList();
    }

    public async Task<IReadOnlyList<string>> ListAsync(string blockerId, CancellationToken cancellationToken) =>
        (await records.GetAsync<BlockList>(DaprNames.StateStore, StateKeys.UserBlocks(blockerId), cancellationToken))?.Ids ?? [];
}
