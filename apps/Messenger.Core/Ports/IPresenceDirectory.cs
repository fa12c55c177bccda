using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>Which gateway instances hold a connection of each user, and when each user was last seen.</summary>
public interface IPresenceDirectory
{
    /// <summary>Records a connection; true when it is the user's first (the user just came online).</summary>
    Task<bool> ConnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken);

    /// <summary>Forgets a connection; the status when this was the user's last (the user just went offline), else null.</summary>
    Task<PresenceStatus?> DisconnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken);

    /// <summary>The gateways that hold each of <paramref name="userIds"/>; users with none are absent.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyCollection<string>>> LocateAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    Task<PresenceStatus> GetAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// A gateway says it is alive; its entries expire when it stops saying so. False when its lease had already run
    /// out (or was never taken): its connections may have been forgotten, so the gateway must register them again.
    /// </summary>
    Task<bool> RenewAsync(string gatewayId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the connections of gateways whose lease ran out; the users who are offline because of it, with the
    /// time their last gateway was last heard of as lastSeen.
    /// </summary>
    Task<IReadOnlyList<PresenceStatus>> ExpireAsync(CancellationToken cancellationToken);
}
