namespace Messenger.Core.Ports;

/// <summary>Bearer tokens taken back before they expire (logout), remembered until they would have expired.</summary>
public interface ITokenRevocationStore
{
    Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken);
}
