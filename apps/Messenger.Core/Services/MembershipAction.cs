namespace Messenger.Core.Services;

public enum MembershipAction
{
    /// <summary>Adds a member (admins only).</summary>
    Add,

    /// <summary>Removes a member (admins; anyone for themselves, which is leaving).</summary>
    Remove,

    /// <summary>Makes a member an admin (admins only).</summary>
    Promote,
}
