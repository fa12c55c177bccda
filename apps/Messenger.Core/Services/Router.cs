using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Protocol;

namespace Messenger.Core.Services;

/// <summary>
/// Sends a frame to users wherever they are connected: one <see cref="DeliveryRequested"/> per gateway instance that
/// holds at least one of them, nothing to gateways that hold none. The one for the gateway of this very process (if
/// any) is handed over in process (<see cref="ILocalDelivery"/>) rather than published.
/// </summary>
public sealed class Router(IPresenceDirectory presence, IEventBus bus, ILocalDelivery? local = null)
{
    /// <returns>The users with no connection anywhere.</returns>
    public async Task<IReadOnlyList<string>> RouteAsync(
        IReadOnlyCollection<string> userIds, ServerFrame frame, string? exceptConnectionId, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return [];
        }

        var locations = await presence.LocateAsync(userIds, cancellationToken);
        var plan = FanOutPlan.Create(userIds, locations);
        foreach (var (gatewayId, recipients) in plan.ByGateway)
        {
            var delivery = new DeliveryRequested(recipients, exceptConnectionId, frame);
            if (local?.TryDeliver(gatewayId, delivery) != true)
            {
                await bus.PublishAsync(Topics.Gateway(gatewayId), delivery, cancellationToken);
            }
        }

        return plan.Offline;
    }
}
