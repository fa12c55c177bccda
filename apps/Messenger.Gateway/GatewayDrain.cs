using System.Net.WebSockets;
using Messenger.Gateway.Connections;

namespace Messenger.Gateway;

/// <summary>On shutdown every client gets a close frame (1001, going away) and reconnects to another gateway.</summary>
public sealed class GatewayDrain(ConnectionRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in registry.All())
        {
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down; reconnect.");
        }

        return Task.CompletedTask;
    }
}
