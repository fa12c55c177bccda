namespace Messenger.Messages.Contracts;

public sealed record RegisterRequest(string? Username, string? Password, string? DisplayName);
