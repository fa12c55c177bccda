using Messenger.Core.Ports;
using Messenger.Gateway.Connections;
using Microsoft.Extensions.Options;

namespace Messenger.Gateway;

/// <summary>
/// Closes the connections whose session is over by time. Every <see cref="GatewayOptions.SessionCheckInterval"/> it
/// looks, in memory, for connections past the time their session was known to live until (the expiry of their
/// token); only for those it reads the sessions, all in one read, and either moves the time on (the session was
/// refreshed meanwhile) or closes the connection: 4002 when the session expired (not refreshed in time, or at its
/// absolute age), 4001 when it is gone (ended). A logout closes its connections at once by an event
/// (<see cref="SessionEndedHandler"/>); this is what closes them on expiry, and after a logout whose event was lost.
/// </summary>
public sealed partial class SessionWatch(
    ConnectionRegistry registry, ISessionStore sessions, TimeProvider time, IOptions<GatewayOptions> options, ILogger<SessionWatch> logger) : BackgroundService
{
    public const string ExpiredReason = "Session expired; refresh or sign in again.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SessionCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store out of reach: the due connections are looked at again on the next tick.
                CheckFailed(logger, e);
            }
        }
    }

    /// <summary>One look at every connection of this gateway; a store read only for those past their time.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = registry.All().Where(c => c.LiveUntil <= now).ToList();
        if (due.Count == 0)
        {
            return;
        }

        var stored = await sessions.GetManyAsync(due.Select(c => c.SessionId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var byId = stored.ToDictionary(s => s.SessionId, StringComparer.Ordinal);
        foreach (var connection in due)
        {
            if (!byId.TryGetValue(connection.SessionId, out var session))
            {
                connection.EndSession(ClientConnection.SessionEnded, SessionEndedHandler.Reason);
            }
            else if (session.IsLiveAt(now))
            {
                connection.LiveUntil = session.LiveUntil;
            }
            else
            {
                connection.EndSession(ClientConnection.SessionExpired, ExpiredReason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the sessions of connections past their token's expiry failed; trying again on the next tick")]
    private static partial void CheckFailed(ILogger logger, Exception exception);
}
