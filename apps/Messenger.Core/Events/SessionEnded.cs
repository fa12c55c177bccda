namespace Messenger.Core.Events;

/// <summary>Sent to the session topic of each gateway that holds a connection of the user: close that session's connections.</summary>
public sealed record SessionEnded(string UserId, string SessionId);
