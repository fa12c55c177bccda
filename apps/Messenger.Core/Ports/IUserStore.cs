using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

public interface IUserStore
{
    /// <summary>Stores a new user; false when the username is taken.</summary>
    Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken);

    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<User?> GetAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the user's password hash with <paramref name="newHash"/> if it is still <paramref name="currentHash"/>
    /// (a stronger hash of the same password, made at a login); false when the user or that hash is gone.
    /// </summary>
    Task<bool> ReplacePasswordHashAsync(string userId, string currentHash, string newHash, CancellationToken cancellationToken);

    Task SetLastSeenAsync(string userId, DateTimeOffset lastSeen, CancellationToken cancellationToken);

    Task<IReadOnlyList<User>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);
}
