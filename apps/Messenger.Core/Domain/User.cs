namespace Messenger.Core.Domain;

public sealed record User(
    string UserId,
    string Username,
    string DisplayName,
    string PasswordHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSeen = null);
