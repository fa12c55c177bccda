using Messenger.Core.Events;
using Messenger.Core.Ports;

namespace Messenger.Messages;

/// <summary>
/// Tells the gateways that hold connections of a user that one of the user's sessions ended (logout), on each
/// gateway's session topic, so that they close that session's WebSockets at once. A gateway that is missed (the
/// publish failed, or the connection was still registering) closes them when the token they were opened with expires;
/// a connection that registers after the session ended finds that out itself.
/// </summary>
public sealed partial class SessionEndNotifier(IPresenceDirectory presence, IEventBus bus, ILogger<SessionEndNotifier> logger)
{
    public async Task NotifyAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            var located = await presence.LocateAsync([userId], cancellationToken);
            foreach (var gatewayId in located.GetValueOrDefault(userId) ?? [])
            {
                await bus.PublishAsync(Topics.GatewaySessions(gatewayId), new SessionEnded(userId, sessionId), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The session has ended already (its tokens get 401); only the prompt close of its sockets is lost.
            NotifyFailed(logger, e, sessionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the gateways that session {SessionId} ended failed; its WebSockets close when their token expires")]
    private static partial void NotifyFailed(ILogger logger, Exception exception, string sessionId);
}
