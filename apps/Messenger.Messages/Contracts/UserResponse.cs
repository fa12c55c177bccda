namespace Messenger.Messages.Contracts;

public sealed record UserResponse(string UserId, string Username, string DisplayName, bool Online, DateTimeOffset? LastSeen);
