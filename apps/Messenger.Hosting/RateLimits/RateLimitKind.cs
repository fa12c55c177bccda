namespace Messenger.Hosting.RateLimits;

/// <summary>What is limited; each has a token bucket per user (or per address for the anonymous ones).</summary>
public enum RateLimitKind
{
    Sends,
    Typing,
    Receipts,
    Syncs,
    Conversations,
    Uploads,
    Registrations,
    Logins,
}
