namespace Messenger.Core.Protocol;

public sealed record PresenceFrame(string UserId, bool Online, DateTimeOffset? LastSeen) : ServerFrame;
