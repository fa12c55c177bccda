namespace Messenger.Messages.Contracts;

public sealed record AuthResponse(string UserId, string Username, string Token);
