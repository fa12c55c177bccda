namespace Messenger.Core.Domain;

public sealed record PresenceStatus(string UserId, bool Online, DateTimeOffset? LastSeen);
