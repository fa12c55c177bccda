namespace Messenger.Messages.Contracts;

public sealed record AddMemberRequest(string? UserId);
