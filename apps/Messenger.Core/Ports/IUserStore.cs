using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

public interface IUserStore
{
    /// <summary>Stores a new user; false when the username is taken.</summary>
    Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken);

    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<User?> GetAsync(string userId, CancellationToken cancellationToken);

    Task SetLastSeenAsync(string userId, DateTimeOffset lastSeen, CancellationToken cancellationToken);

    Task<IReadOnlyList<User>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);
}
