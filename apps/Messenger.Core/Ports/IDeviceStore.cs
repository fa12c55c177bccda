using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

public interface IDeviceStore
{
    /// <summary>Registers a device token for a user; a token registered by someone else moves to this user.</summary>
    Task UpsertAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Removes the token if it belongs to <paramref name="userId"/>.</summary>
    Task RemoveAsync(string token, string userId, CancellationToken cancellationToken);

    /// <summary>Removes the token whoever owns it (FCM said it is no longer valid).</summary>
    Task PruneAsync(string token, CancellationToken cancellationToken);

    Task<IReadOnlyList<Device>> ListAsync(string userId, CancellationToken cancellationToken);
}
