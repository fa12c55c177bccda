namespace Messenger.Testing;

/// <summary>A registered user as a test holds it: id, username and the bearer token it was issued.</summary>
public sealed record TestUser(string UserId, string Username, string Token);
