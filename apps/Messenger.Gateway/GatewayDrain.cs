using System.Net.WebSockets;
using Messenger.Gateway.Connections;

namespace Messenger.Gateway;

/// <summary>On shutdown every client gets a close frame (1001, going away) and reconnects to another gateway.</summary>
public sealed class GatewayDrain(ConnectionRegistry registry, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping fires before the server stops: Kestrel then waits only for the close handshakes.
        stopping = lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // The connections were closed when ApplicationStopping fired, which is always before this.
        stopping.Dispose();
        return Task.CompletedTask;
    }

    private void CloseAll()
    {
        foreach (var connection in registry.All())
        {
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down; reconnect.");
        }
    }
}
