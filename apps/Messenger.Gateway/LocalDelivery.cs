using Messenger.Core.Events;
using Messenger.Core.Ports;

namespace Messenger.Gateway;

/// <summary>Deliveries routed to this gateway from this process go straight to its connections.</summary>
public sealed class LocalDelivery(GatewayInstance gateway, GatewayDeliveryHandler handler) : ILocalDelivery
{
    public bool TryDeliver(string gatewayId, DeliveryRequested delivery)
    {
        if (gatewayId != gateway.Id)
        {
            return false;
        }

        handler.Deliver(delivery);
        return true;
    }
}
