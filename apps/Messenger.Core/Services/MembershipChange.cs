namespace Messenger.Core.Services;

/// <summary><paramref name="ByUserId"/> adds, removes or promotes <paramref name="UserId"/>.</summary>
public sealed record MembershipChange(string ByUserId, string UserId, MembershipAction Action);
