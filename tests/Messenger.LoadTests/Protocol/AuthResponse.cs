namespace Messenger.LoadTests.Protocol;

/// <summary>Answer of register and login: <c>{userId, username, token}</c>.</summary>
public sealed record AuthResponse(string UserId, string Username, string Token);
