using Messenger.Core.Domain;

namespace Messenger.Core.Protocol;

/// <summary>One member of a conversation on the wire, with their role (no presence: that goes to contacts only).</summary>
public sealed record MemberDto(string UserId, MemberRole Role);
