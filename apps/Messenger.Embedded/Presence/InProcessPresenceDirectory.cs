using Messenger.Core.Domain;
using Messenger.Core.Ports;

namespace Messenger.Embedded.Presence;

/// <summary>
/// Users' connections per gateway instance, in memory. A gateway renews its lease; once the lease runs out, its
/// connections no longer count (the gateway is taken for dead).
/// </summary>
public sealed class InProcessPresenceDirectory(TimeProvider time, TimeSpan gatewayLease) : IPresenceDirectory
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<(string Gateway, string Connection)>> connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> lastSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> leases = new(StringComparer.Ordinal);

    public Task<bool> ConnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            leases[gatewayId] = time.GetUtcNow() + gatewayLease;
            var wasOnline = IsOnline(userId);
            if (!connections.TryGetValue(userId, out var set))
            {
                connections[userId] = set = [];
            }

            set.Add((gatewayId, connectionId));
            return Task.FromResult(!wasOnline);
        }
    }

    public Task<PresenceStatus?> DisconnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!connections.TryGetValue(userId, out var set) || !set.Remove((gatewayId, connectionId)))
            {
                return Task.FromResult<PresenceStatus?>(null);
            }

            if (set.Count == 0)
            {
                connections.Remove(userId);
            }

            if (IsOnline(userId))
            {
                return Task.FromResult<PresenceStatus?>(null);
            }

            var now = time.GetUtcNow();
            lastSeen[userId] = now;
            return Task.FromResult<PresenceStatus?>(new PresenceStatus(userId, false, now));
        }
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyCollection<string>>> LocateAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        lock (gate)
        {
            foreach (var userId in userIds)
            {
                var gateways = LiveGateways(userId);
                if (gateways.Length > 0)
                {
                    found[userId] = gateways;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyCollection<string>>>(found);
    }

    public Task<PresenceStatus> GetAsync(string userId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var online = IsOnline(userId);
            return Task.FromResult(new PresenceStatus(userId, online, online ? null : lastSeen.GetValueOrDefault(userId) is { } seen && seen != default ? seen : null));
        }
    }

    public Task<bool> RenewAsync(string gatewayId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var alive = leases.TryGetValue(gatewayId, out var until) && until > now;
            leases[gatewayId] = now + gatewayLease;
            return Task.FromResult(alive);
        }
    }

    public Task<IReadOnlyList<PresenceStatus>> ExpireAsync(CancellationToken cancellationToken)
    {
        var offline = new List<PresenceStatus>();
        lock (gate)
        {
            var now = time.GetUtcNow();
            var dead = leases.Where(l => l.Value <= now).ToDictionary(l => l.Key, l => l.Value - gatewayLease, StringComparer.Ordinal);
            if (dead.Count == 0)
            {
                return Task.FromResult<IReadOnlyList<PresenceStatus>>(offline);
            }

            foreach (var (userId, set) in connections.ToList())
            {
                var lost = set.Where(c => dead.ContainsKey(c.Gateway)).ToList();
                if (lost.Count == 0)
                {
                    continue;
                }

                set.ExceptWith(lost);
                if (set.Count == 0)
                {
                    connections.Remove(userId);
                    var seen = lost.Max(c => dead[c.Gateway]);
                    lastSeen[userId] = seen;
                    offline.Add(new PresenceStatus(userId, false, seen));
                }
            }

            foreach (var gateway in dead.Keys)
            {
                leases.Remove(gateway);
            }
        }

        return Task.FromResult<IReadOnlyList<PresenceStatus>>(offline);
    }

    private bool IsOnline(string userId)
    {
        if (!connections.TryGetValue(userId, out var set))
        {
            return false;
        }

        var now = time.GetUtcNow();
        foreach (var (gateway, _) in set)
        {
            if (IsLive(gateway, now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The distinct gateways holding a live connection of the user; most users are on one, so no set is made.</summary>
    private string[] LiveGateways(string userId)
    {
        if (!connections.TryGetValue(userId, out var set))
        {
            return [];
        }

        var now = time.GetUtcNow();
        string[] live = [];
        foreach (var (gateway, _) in set)
        {
            if (IsLive(gateway, now) && Array.IndexOf(live, gateway) < 0)
            {
                live = [.. live, gateway];
            }
        }

        return live;
    }

    private bool IsLive(string gatewayId, DateTimeOffset now) => leases.TryGetValue(gatewayId, out var until) && until > now;
}
