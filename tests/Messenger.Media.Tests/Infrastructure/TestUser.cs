namespace Messenger.Media.Tests.Infrastructure;

public sealed record TestUser(string UserId, string Username, string Token);
