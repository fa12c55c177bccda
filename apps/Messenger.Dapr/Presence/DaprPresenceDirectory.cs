using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Dapr.State;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Presence;

/// <summary>
/// Presence in the state store. One entry per user, <c>presence:{userId}</c>, lists the user's connections per
/// gateway and lastSeen; it changes only when that user connects or disconnects, under an ETag, so two devices of
/// one user never lose each other's update. Each gateway keeps a lease, <c>gateway:{id}:lease</c>, written with a
/// TTL and renewed by the gateway: a connection counts only while its gateway's lease lives, so the users of a
/// gateway that dies go offline when its lease runs out (the next change to such a user's entry drops the dead
/// connections). Gateways register in <c>gateways</c> and list their users in <c>gateway:{id}:users:{shard}</c>, so
/// that <see cref="ExpireAsync"/> can find the users of a dead gateway, record their lastSeen and say they left.
/// A lease once read is known to hold until the time it names (a renewal only moves that time on; nothing shortens
/// it), so each lease is read again only once that time has passed: routing a message reads the recipients' presence
/// entries, not their gateways' leases.
/// </summary>
public sealed class DaprPresenceDirectory(StateRecords records, TimeProvider time, IOptions<DaprOptions> options) : IPresenceDirectory
{
    /// <summary>How many leases long a lease record is kept after its last renewal.</summary>
    private const int LeaseRecordLifetimes = 10;

    /// <summary>Until when each gateway's lease is known to hold, from the last read or write of it.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> leasesHeld = new(StringComparer.Ordinal);

    /// <summary>
    /// One update at a time per users shard of a gateway in this process (the gateway's own): the connects of a
    /// reconnect storm would otherwise race for 16 keys under ETags (4.4 attempts per connect in a storm of 1,000
    /// users over four gateways, docs/capacity.md) and give up after <see cref="DaprOptions.ConcurrencyRetries"/>.
    /// </summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> shardTurns = new(StringComparer.Ordinal);

    public async Task<bool> ConnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken)
    {
        // A lease known to hold for half its length yet is not written again (the gateway renews it every 10 s): a
        // storm of connects writes it once, not once per user.
        if (!leasesHeld.TryGetValue(gatewayId, out var held) || held - time.GetUtcNow() < options.Value.GatewayLease / 2)
        {
            await WriteLeaseAsync(gatewayId, cancellationToken);
        }

        var connection = new PresenceConnection(gatewayId, connectionId);
        await GatewayUsersAsync(gatewayId, userId, add: true, cancellationToken);
        var dead = await DeadGatewaysAsync(userId, cancellationToken);
        return await records.UpdateAsync<PresenceRecord, bool>(DaprNames.StateStore, StateKeys.Presence(userId), record =>
        {
            var current = record ?? PresenceRecord.Empty;
            var others = Connections(current).Where(c => c != connection && !dead.Contains(c.GatewayId)).ToImmutableArray();
            return (current with { Connections = others.Add(connection) }, others.IsEmpty);
        }, null, cancellationToken);
    }

    public async Task<PresenceStatus?> DisconnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken)
    {
        var connection = new PresenceConnection(gatewayId, connectionId);
        var dead = await DeadGatewaysAsync(userId, cancellationToken);
        var now = time.GetUtcNow();
        var (status, stillHere) = await records.UpdateAsync<PresenceRecord, (PresenceStatus?, bool)>(DaprNames.StateStore, StateKeys.Presence(userId), record =>
        {
            if (record is null || !Connections(record).Contains(connection))
            {
                return (record, (null, true));
            }

            var rest = Connections(record).Where(c => c != connection && !dead.Contains(c.GatewayId)).ToImmutableArray();
            var here = rest.Any(c => c.GatewayId == gatewayId);
            return rest.IsEmpty
                ? (new PresenceRecord(rest, now), (new PresenceStatus(userId, false, now), here))
                : (record with { Connections = rest }, (null, here));
        }, null, cancellationToken);
        if (!stillHere)
        {
            await GatewayUsersAsync(gatewayId, userId, add: false, cancellationToken);
        }

        return status;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyCollection<string>>> LocateAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, IReadOnlyCollection<string>>();
        }

        var items = await records.Client.GetBulkStateAsync<PresenceRecord?>(
            DaprNames.StateStore, ids.Select(StateKeys.Presence).ToList(), options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        var byKey = items.Where(i => i.Value is not null).ToDictionary(i => i.Key, i => i.Value!, StringComparer.Ordinal);
        var live = await LiveGatewaysAsync(byKey.Values.SelectMany(r => Connections(r)).Select(c => c.GatewayId), cancellationToken);
        var found = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var userId in ids)
        {
            if (byKey.TryGetValue(StateKeys.Presence(userId), out var record))
            {
                var gateways = Connections(record).Select(c => c.GatewayId).Where(live.Contains).Distinct(StringComparer.Ordinal).ToList();
                if (gateways.Count > 0)
                {
                    found[userId] = gateways;
                }
            }
        }

        return found;
    }

    public async Task<PresenceStatus> GetAsync(string userId, CancellationToken cancellationToken)
    {
        var (connections, lastSeen) = await SnapshotAsync(userId, cancellationToken);
        var live = await LiveGatewaysAsync(connections.Select(c => c.GatewayId), cancellationToken);
        var online = connections.Any(c => live.Contains(c.GatewayId));
        return new PresenceStatus(userId, online, online ? null : lastSeen);
    }

    public async Task<bool> RenewAsync(string gatewayId, CancellationToken cancellationToken)
    {
        var current = await records.GetAsync<GatewayLease>(DaprNames.StateStore, StateKeys.GatewayLease(gatewayId), cancellationToken);
        await WriteLeaseAsync(gatewayId, cancellationToken);
        return current is not null && current.ExpiresAt > time.GetUtcNow();
    }

    private async Task WriteLeaseAsync(string gatewayId, CancellationToken cancellationToken)
    {
        var lease = options.Value.GatewayLease;

        // The record outlives the lease (its value says until when it counts), so that a sweep can still read when the
        // gateway was last heard of; the TTL only tidies up after gateways nobody swept.
        var renewed = new GatewayLease(time.GetUtcNow() + lease);
        await records.Client.SaveStateAsync(
            DaprNames.StateStore, StateKeys.GatewayLease(gatewayId), renewed,
            metadata: StateRecords.Ttl(lease * LeaseRecordLifetimes), cancellationToken: cancellationToken);
        Hold(gatewayId, renewed);
        await records.UpdateAsync<GatewayRegistry>(DaprNames.StateStore, StateKeys.Gateways, registry =>
            registry is not null && registry.Ids.Contains(gatewayId) ? registry : new GatewayRegistry((registry?.Ids ?? []).Add(gatewayId)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<PresenceStatus>> ExpireAsync(CancellationToken cancellationToken)
    {
        var registry = await records.GetAsync<GatewayRegistry>(DaprNames.StateStore, StateKeys.Gateways, cancellationToken);
        if (registry is null || registry.Ids.IsEmpty)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var lease = options.Value.GatewayLease;
        var leases = await records.Client.GetBulkStateAsync<GatewayLease?>(
            DaprNames.StateStore, registry.Ids.Select(StateKeys.GatewayLease).ToList(), options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        var byKey = leases.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var offline = new List<PresenceStatus>();
        foreach (var gatewayId in registry.Ids)
        {
            var current = byKey.GetValueOrDefault(StateKeys.GatewayLease(gatewayId));
            if (current is not null && current.ExpiresAt > now)
            {
                continue;
            }

            var lastHeard = current is null ? now - lease : current.ExpiresAt - lease;
            offline.AddRange(await ExpireGatewayAsync(gatewayId, lastHeard, cancellationToken));
        }

        return offline;
    }

    /// <summary>Drops a dead gateway's connections; the users left with none are offline since it was last heard of.</summary>
    private async Task<List<PresenceStatus>> ExpireGatewayAsync(string gatewayId, DateTimeOffset lastHeard, CancellationToken cancellationToken)
    {
        var shards = await records.Client.GetBulkStateAsync<GatewayUsers?>(
            DaprNames.StateStore, Enumerable.Range(0, StateKeys.GatewayUserShards).Select(i => StateKeys.GatewayUsers(gatewayId, i)).ToList(),
            options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        var offline = new List<PresenceStatus>();
        foreach (var userId in shards.Select(s => s.Value).OfType<GatewayUsers>().SelectMany(s => s.Ids).Distinct(StringComparer.Ordinal))
        {
            // Looked up afresh for each user: a gateway that renews while the sweep runs keeps its connections.
            var dead = await DeadGatewaysAsync(userId, cancellationToken);
            var status = await records.UpdateAsync<PresenceRecord, PresenceStatus?>(DaprNames.StateStore, StateKeys.Presence(userId), record =>
            {
                if (record is null || !Connections(record).Any(c => dead.Contains(c.GatewayId)))
                {
                    return (record, null);
                }

                var rest = Connections(record).Where(c => !dead.Contains(c.GatewayId)).ToImmutableArray();
                return rest.IsEmpty
                    ? (new PresenceRecord(rest, lastHeard), new PresenceStatus(userId, false, lastHeard))
                    : (record with { Connections = rest }, null);
            }, null, cancellationToken);
            if (status is not null)
            {
                offline.Add(status);
            }
        }

        if ((await LiveGatewaysAsync([gatewayId], cancellationToken)).Count > 0)
        {
            // It renewed meanwhile: it is alive, with its user list and its place in the registry.
            return offline;
        }

        await records.Client.DeleteBulkStateAsync(
            DaprNames.StateStore,
            Enumerable.Range(0, StateKeys.GatewayUserShards).Select(i => new BulkDeleteStateItem(StateKeys.GatewayUsers(gatewayId, i), null!)).ToList(),
            cancellationToken);
        await records.UpdateAsync<GatewayRegistry>(DaprNames.StateStore, StateKeys.Gateways, registry =>
            registry is not null && registry.Ids.Contains(gatewayId) ? new GatewayRegistry(registry.Ids.Remove(gatewayId)) : registry,
            cancellationToken);
        return offline;
    }

    private async Task GatewayUsersAsync(string gatewayId, string userId, bool add, CancellationToken cancellationToken)
    {
        var key = StateKeys.GatewayUsers(gatewayId, StateKeys.ShardOf(userId));
        var turn = shardTurns.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        try
        {
            await records.UpdateAsync<GatewayUsers>(DaprNames.StateStore, key, users =>
            {
                var ids = users?.Ids ?? [];
                return ids.Contains(userId) == add ? users : new GatewayUsers(add ? ids.Add(userId) : ids.Remove(userId));
            }, cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }

    private static ImmutableArray<PresenceConnection> Connections(PresenceRecord record) =>
        record.Connections.IsDefault ? [] : record.Connections;

    /// <summary>
    /// The gateways of the user's connections whose lease has run out. Within an optimistic update only these are
    /// dropped: a gateway that turned up in the meantime was not looked at and counts as alive.
    /// </summary>
    private async Task<HashSet<string>> DeadGatewaysAsync(string userId, CancellationToken cancellationToken)
    {
        var (connections, _) = await SnapshotAsync(userId, cancellationToken);
        var gateways = connections.Select(c => c.GatewayId).ToHashSet(StringComparer.Ordinal);
        gateways.ExceptWith(await LiveGatewaysAsync(gateways, cancellationToken));
        return gateways;
    }

    private async Task<(ImmutableArray<PresenceConnection> Connections, DateTimeOffset? LastSeen)> SnapshotAsync(string userId, CancellationToken cancellationToken)
    {
        var record = await records.GetAsync<PresenceRecord>(DaprNames.StateStore, StateKeys.Presence(userId), cancellationToken);
        return record is null || record.Connections.IsDefault ? ([], record?.LastSeen) : (record.Connections, record.LastSeen);
    }

    /// <summary>The gateways among <paramref name="gatewayIds"/> whose lease has not run out.</summary>
    private async Task<HashSet<string>> LiveGatewaysAsync(IEnumerable<string> gatewayIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var live = new HashSet<string>(StringComparer.Ordinal);
        List<string>? unknown = null;
        foreach (var id in gatewayIds)
        {
            if (leasesHeld.TryGetValue(id, out var until) && until > now)
            {
                live.Add(id);
            }
            else if (!live.Contains(id) && !(unknown ??= []).Contains(id))
            {
                unknown.Add(id);
            }
        }

        if (unknown is null)
        {
            return live;
        }

        var leases = await records.Client.GetBulkStateAsync<GatewayLease?>(
            DaprNames.StateStore, unknown.Select(StateKeys.GatewayLease).ToList(), options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        var byKey = leases.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        foreach (var id in unknown)
        {
            if (byKey.GetValueOrDefault(StateKeys.GatewayLease(id)) is { } lease)
            {
                Hold(id, lease);
                if (lease.ExpiresAt > now)
                {
                    live.Add(id);
                }
            }
        }

        return live;
    }

    private void Hold(string gatewayId, GatewayLease lease) =>
        leasesHeld.AddOrUpdate(gatewayId, lease.ExpiresAt, (_, known) => known > lease.ExpiresAt ? known : lease.ExpiresAt);
}
