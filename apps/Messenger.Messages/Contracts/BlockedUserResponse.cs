namespace Messenger.Messages.Contracts;

/// <summary>One user the caller blocks (no presence: blocking is no reason to see it).</summary>
public sealed record BlockedUserResponse(string UserId, string Username, string DisplayName);
