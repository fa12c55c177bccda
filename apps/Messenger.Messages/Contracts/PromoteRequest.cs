namespace Messenger.Messages.Contracts;

/// <summary>The member to make an admin of the group.</summary>
public sealed record PromoteRequest(string? UserId);
