using Messenger.Core.Ports;

namespace Messenger.Dapr.State;

/// <summary>
/// Revoked bearer tokens: <c>token:{tokenId}:revoked</c>, written with a TTL that ends when the token would have
/// expired anyway, so the store forgets it by itself (the expiry in the value covers stores without TTL).
/// </summary>
public sealed class DaprTokenRevocationStore(StateRecords records, TimeProvider time) : ITokenRevocationStore
{
    private sealed record Revocation(DateTimeOffset ExpiresAt);

    public Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var left = expiresAt - time.GetUtcNow();
        return left <= TimeSpan.Zero
            ? Task.CompletedTask
            : records.Client.SaveStateAsync(
                DaprNames.StateStore, StateKeys.RevokedToken(tokenId), new Revocation(expiresAt), metadata: StateRecords.Ttl(left), cancellationToken: cancellationToken);
    }

    public async Task<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken) =>
        await records.GetAsync<Revocation>(DaprNames.StateStore, StateKeys.RevokedToken(tokenId), cancellationToken) is { } revocation
        && revocation.ExpiresAt > time.GetUtcNow();
}
