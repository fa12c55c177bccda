using System.Text.Json;
using Messenger.Core.Events;
using Messenger.Core.Protocol;
using Messenger.Core.Subscriptions;
using Messenger.Gateway.Connections;

namespace Messenger.Gateway;

/// <summary>Hands a routed frame to every local connection of its users (serialised once for all of them).</summary>
public sealed class GatewayDeliveryHandler(ConnectionRegistry registry) : IEventHandler<DeliveryRequested>
{
    public Task HandleAsync(DeliveryRequested delivery, CancellationToken cancellationToken)
    {
        Deliver(delivery);
        return Task.CompletedTask;
    }

    public void Deliver(DeliveryRequested delivery)
    {
        ReadOnlyMemory<byte> bytes = default;
        foreach (var userId in delivery.UserIds)
        {
            foreach (var connection in registry.Of(userId))
            {
                if (connection.Id == delivery.ExceptConnectionId)
                {
                    continue;
                }

                if (bytes.IsEmpty)
                {
                    bytes = JsonSerializer.SerializeToUtf8Bytes(delivery.Frame, ProtocolJson.Default.ServerFrame);
                }

                connection.Enqueue(delivery.Frame, bytes);
            }
        }
    }
}
