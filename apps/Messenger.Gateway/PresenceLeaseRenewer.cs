using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Gateway.Connections;
using Microsoft.Extensions.Options;

namespace Messenger.Gateway;

/// <summary>
/// Keeps this gateway's presence entries alive; if the gateway dies they expire and its users go offline. A gateway
/// that renews late (a long pause, an unreachable store) finds its lease lapsed and registers its open connections
/// again, so their users count as online and get live messages once more.
/// </summary>
public sealed class PresenceLeaseRenewer(
    GatewayInstance gateway,
    IPresenceDirectory directory,
    PresenceService presence,
    ConnectionRegistry connections,
    IOptions<GatewayOptions> options,
    ILogger<PresenceLeaseRenewer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PresenceRenewInterval);
        do
        {
            try
            {
                if (!await directory.RenewAsync(gateway.Id, stoppingToken))
                {
                    await RegisterAgainAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                GatewayLog.RenewFailed(logger, e, gateway.Id);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RegisterAgainAsync(CancellationToken cancellationToken)
    {
        var open = connections.All().ToList();
        if (open.Count == 0)
        {
            return;
        }

        GatewayLog.LeaseLapsed(logger, gateway.Id, open.Count);
        foreach (var connection in open)
        {
            await presence.ConnectedAsync(connection.UserId, gateway.Id, connection.Id, cancellationToken);

            // It closed meanwhile: its own disconnect may have run before this registration, so undo it here.
            if (!connections.Of(connection.UserId).Contains(connection))
            {
                await presence.DisconnectedAsync(connection.UserId, gateway.Id, connection.Id, cancellationToken);
            }
        }
    }
}
