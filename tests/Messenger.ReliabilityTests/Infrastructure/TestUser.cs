namespace Messenger.ReliabilityTests.Infrastructure;

public sealed record TestUser(string UserId, string Username, string Token);
