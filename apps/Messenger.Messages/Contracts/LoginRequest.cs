namespace Messenger.Messages.Contracts;

public sealed record LoginRequest(string? Username, string? Password);
