namespace Messenger.Messages.Contracts;

public sealed record CreateConversationRequest(string? Type, string? Title, IReadOnlyList<string>? MemberIds);
