using Messenger.Core.Services;
using Microsoft.Extensions.Options;

namespace Messenger.Messages;

/// <summary>Now and then, takes the users of gateways that stopped renewing their lease offline.</summary>
public sealed partial class PresenceSweeper(PresenceService presence, IOptions<PresenceSweepOptions> options, ILogger<PresenceSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var count = await presence.SweepAsync(stoppingToken);
                if (count > 0)
                {
                    UsersExpired(logger, count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} users went offline with a gateway that stopped renewing its lease")]
    private static partial void UsersExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping expired presence failed")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
