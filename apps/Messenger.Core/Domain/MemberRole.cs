using System.Text.Json.Serialization;

namespace Messenger.Core.Domain;

/// <summary>A member's role in a group: admins add, remove and promote members. Direct conversations have only members.</summary>
public enum MemberRole
{
    [JsonStringEnumMemberName("member")]
    Member,

    [JsonStringEnumMemberName("admin")]
    Admin,
}
