using Messenger.Core.Events;
using Messenger.Core.Subscriptions;
using Messenger.Gateway.Connections;

namespace Messenger.Gateway;

/// <summary>Closes (4001) this gateway's connections of a session that ended (logout), ahead of anything queued for them.</summary>
public sealed class SessionEndedHandler(ConnectionRegistry registry) : IEventHandler<SessionEnded>
{
    public const string Reason = "Session ended; sign in again.";

    public Task HandleAsync(SessionEnded ended, CancellationToken cancellationToken)
    {
        foreach (var connection in registry.Of(ended.UserId))
        {
            if (string.Equals(connection.SessionId, ended.SessionId, StringComparison.Ordinal))
            {
                connection.EndSession(ClientConnection.SessionEnded, Reason);
            }
        }

        return Task.CompletedTask;
    }
}
