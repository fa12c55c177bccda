using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Messenger.Gateway.Connections;

/// <summary>
/// The connections this gateway instance holds, by user, and the slots that count them against the limits: a slot is
/// taken (<see cref="TryReserve"/>) before the upgrade, checking and counting in one step, so parallel upgrades can
/// never pass a limit together.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ImmutableArray<ClientConnection>> byUser = new(StringComparer.Ordinal);
    private readonly Lock slotGate = new();
    private readonly Dictionary<string, int> slotsByUser = new(StringComparer.Ordinal);
    private int slots;

    /// <summary>Slots taken now: connections open or being opened.</summary>
    public int Slots
    {
        get
        {
            lock (slotGate)
            {
                return slots;
            }
        }
    }

    /// <summary>
    /// A slot for one more connection of <paramref name="userId"/>, or null (and why) when the user already holds
    /// <paramref name="maxPerUser"/> or the gateway <paramref name="maxConnections"/>. Dispose the slot when the
    /// connection ends.
    /// </summary>
    public ConnectionSlot? TryReserve(string userId, int maxPerUser, int maxConnections, out ConnectionRefusal refusal)
    {
        lock (slotGate)
        {
            var held = slotsByUser.GetValueOrDefault(userId);
            refusal = slots >= maxConnections ? ConnectionRefusal.GatewayLimit
                : held >= maxPerUser ? ConnectionRefusal.UserLimit
                : ConnectionRefusal.None;
            if (refusal != ConnectionRefusal.None)
            {
                return null;
            }

            slotsByUser[userId] = held + 1;
            slots++;
            return new ConnectionSlot(this, userId);
        }
    }

    internal void Release(string userId)
    {
        lock (slotGate)
        {
            slots--;
            if (slotsByUser.TryGetValue(userId, out var held) && held > 1)
            {
                slotsByUser[userId] = held - 1;
            }
            else
            {
                slotsByUser.Remove(userId);
            }
        }
    }

    public int Count => byUser.Values.Sum(c => c.Length);

    public void Add(ClientConnection connection) =>
        byUser.AddOrUpdate(connection.UserId, _ => [connection], (_, list) => list.Add(connection));

    public void Remove(ClientConnection connection)
    {
        while (byUser.TryGetValue(connection.UserId, out var list))
        {
            var next = list.Remove(connection);
            var done = next.IsEmpty
                ? byUser.TryRemove(new KeyValuePair<string, ImmutableArray<ClientConnection>>(connection.UserId, list))
                : byUser.TryUpdate(connection.UserId, next, list);
            if (done)
            {
                return;
            }
        }
    }

    public ImmutableArray<ClientConnection> Of(string userId) => byUser.TryGetValue(userId, out var list) ? list : [];

    public IEnumerable<ClientConnection> All() => byUser.Values.SelectMany(c => c);
}
