using Messenger.Core.Ports;
using Messenger.Core.Protocol;

namespace Messenger.Core.Services;

/// <summary>Online while any connection is open; tells everyone who shares a conversation when that changes.</summary>
public sealed class PresenceService(IPresenceDirectory presence, IMessageStore messages, IUserStore users, Router router)
{
    public async Task ConnectedAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken)
    {
        if (await presence.ConnectAsync(userId, gatewayId, connectionId, cancellationToken))
        {
            await AnnounceAsync(new PresenceFrame(userId, true, null), cancellationToken);
        }
    }

    public async Task DisconnectedAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken)
    {
        var status = await presence.DisconnectAsync(userId, gatewayId, connectionId, cancellationToken);
        if (status is not null)
        {
            if (status.LastSeen is { } lastSeen)
            {
                await users.SetLastSeenAsync(userId, lastSeen, cancellationToken);
            }

            await AnnounceAsync(new PresenceFrame(userId, false, status.LastSeen), cancellationToken);
        }
    }

    /// <summary>Users whose only gateways died are offline: record when they were last seen and say so.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var offline = await presence.ExpireAsync(cancellationToken);
        foreach (var status in offline)
        {
            if (status.LastSeen is { } lastSeen)
            {
                await users.SetLastSeenAsync(status.UserId, lastSeen, cancellationToken);
            }

            await AnnounceAsync(new PresenceFrame(status.UserId, false, status.LastSeen), cancellationToken);
        }

        return offline.Count;
    }

    private async Task AnnounceAsync(PresenceFrame frame, CancellationToken cancellationToken)
    {
        var contacts = await messages.GetContactIdsAsync(frame.UserId, cancellationToken);
        await router.RouteAsync(contacts, frame, null, cancellationToken);
    }
}
