using Messenger.Core.Events;

namespace Messenger.Core.Ports;

/// <summary>
/// The gateway this process runs, where it runs one: a delivery routed to it is handed to its connections in process
/// instead of going through the bus to its own topic and back.
/// </summary>
public interface ILocalDelivery
{
    /// <returns>False where <paramref name="gatewayId"/> is not this process's gateway: publish the delivery instead.</returns>
    bool TryDeliver(string gatewayId, DeliveryRequested delivery);
}
