using Messenger.Core.Ports;
using Microsoft.Extensions.Options;

namespace Messenger.Gateway;

/// <summary>Keeps this gateway's presence entries alive; if the gateway dies they expire and its users go offline.</summary>
public sealed class PresenceLeaseRenewer(
    GatewayInstance gateway, IPresenceDirectory presence, IOptions<GatewayOptions> options, ILogger<PresenceLeaseRenewer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PresenceRenewInterval);
        do
        {
            try
            {
                await presence.RenewAsync(gateway.Id, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                GatewayLog.RenewFailed(logger, e, gateway.Id);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
