namespace Messenger.Messages.Contracts;

/// <summary>
/// A user as the caller may see them: <see cref="Online"/> and <see cref="LastSeen"/> are null unless the caller is the
/// user or shares a conversation with them.
/// </summary>
public sealed record UserResponse(string UserId, string Username, string DisplayName, bool? Online, DateTimeOffset? LastSeen);
