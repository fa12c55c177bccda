namespace Messenger.Core.Domain;

public sealed record Device(string Token, string UserId, DevicePlatform Platform, DateTimeOffset RegisteredAt);
