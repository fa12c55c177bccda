using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Messenger.Gateway.Connections;

/// <summary>The connections this gateway instance holds, by user.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ImmutableArray<ClientConnection>> byUser = new(StringComparer.Ordinal);

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
