namespace Messenger.Core.Services;

/// <summary><paramref name="ByUserId"/> adds or removes <paramref name="UserId"/>.</summary>
public sealed record MembershipChange(string ByUserId, string UserId, bool Add);
