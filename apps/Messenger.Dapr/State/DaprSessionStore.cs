using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// Sessions in the state store, <c>session:{sessionId}</c>, each written with a TTL that ends when the session stops
/// being live (its token's expiry, or its absolute age), so the store forgets idle and expired sessions by itself; a
/// refresh writes it again with the new token and TTL. A refresh and a logout change it with its ETag, so two
/// refreshes of one token cannot both win, and a logout is never undone by a refresh that read before it.
/// </summary>
public sealed class DaprSessionStore(StateRecords records, IOptions<DaprOptions> options, TimeProvider time) : ISessionStore
{
    public Task CreateAsync(Session session, CancellationToken cancellationToken) =>
        records.Client.SaveStateAsync(
            DaprNames.StateStore, StateKeys.Session(session.SessionId), session, metadata: Ttl(session.LiveUntil), cancellationToken: cancellationToken);

    public Task<Session?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        records.GetAsync<Session>(DaprNames.StateStore, StateKeys.Session(sessionId), cancellationToken);

    public async Task<IReadOnlyList<Session>> GetManyAsync(IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken)
    {
        var keys = sessionIds.Distinct(StringComparer.Ordinal).Select(StateKeys.Session).ToList();
        if (keys.Count == 0)
        {
            return [];
        }

        var items = await records.Client.GetBulkStateAsync<Session?>(DaprNames.StateStore, keys, options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        return items.Select(i => i.Value).OfType<Session>().ToList();
    }

    public Task<Session?> RotateAsync(
        string sessionId, string currentTokenId, string nextTokenId, DateTimeOffset nextTokenExpiresAt, CancellationToken cancellationToken) =>
        records.UpdateAsync<Session, Session?>(
            DaprNames.StateStore,
            StateKeys.Session(sessionId),
            current =>
            {
                if (current is null || !string.Equals(current.TokenId, currentTokenId, StringComparison.Ordinal))
                {
                    return (current, null);
                }

                var rotated = current with { TokenId = nextTokenId, TokenExpiresAt = nextTokenExpiresAt };
                return (rotated, rotated);
            },
            Ttl(nextTokenExpiresAt),
            cancellationToken);

    public Task<Session?> EndAsync(string sessionId, CancellationToken cancellationToken) =>
        records.UpdateAsync<Session, Session?>(DaprNames.StateStore, StateKeys.Session(sessionId), current => (null, current), null, cancellationToken);

    /// <summary>Until the session stops being live (a refreshed token never outlives its session); at least a second.</summary>
    private IReadOnlyDictionary<string, string> Ttl(DateTimeOffset liveUntil)
    {
        var left = liveUntil - time.GetUtcNow();
        return StateRecords.Ttl(left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
    }
}
