using System.ComponentModel.DataAnnotations;

namespace Messenger.Hosting.RateLimits;

/// <summary>
/// Limits (section <c>Messenger:RateLimits</c>). The defaults never stop a person typing, tapping or reconnecting,
/// and do stop a script; <see cref="Enabled"/> = false turns every one of them off (for load tests).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Messenger:RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Messages sent, per user, over WebSocket and HTTP together.</summary>
    [Required]
    public TokenBucket Sends { get; set; } = TokenBucket.Of(burst: 120, perMinute: 1200);

    [Required]
    public TokenBucket Typing { get; set; } = TokenBucket.Of(burst: 30, perMinute: 120);

    /// <summary>delivered / read cursors, per user.</summary>
    [Required]
    public TokenBucket Receipts { get; set; } = TokenBucket.Of(burst: 600, perMinute: 6000);

    [Required]
    public TokenBucket Syncs { get; set; } = TokenBucket.Of(burst: 30, perMinute: 60);

    /// <summary>Conversations created and members added, per user.</summary>
    [Required]
    public TokenBucket Conversations { get; set; } = TokenBucket.Of(burst: 60, perMinute: 60);

    [Required]
    public TokenBucket Uploads { get; set; } = TokenBucket.Of(burst: 30, perMinute: 60);

    /// <summary>Accounts registered, per client address.</summary>
    [Required]
    public TokenBucket Registrations { get; set; } = TokenBucket.Of(burst: 100, perMinute: 30);

    /// <summary>
    /// Login attempts, per client address. Each costs one PBKDF2 derivation (600,000 iterations, about 0.15 s of one
    /// core), so one address can take at most about 8% of a core once its burst is spent.
    /// </summary>
    [Required]
    public TokenBucket Logins { get; set; } = TokenBucket.Of(burst: 20, perMinute: 30);

    /// <summary>Failed logins of one username before each next attempt has to wait (doubling, up to the cap).</summary>
    [Range(1, 1000)]
    public int LoginFailuresBeforeBackoff { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxLoginBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Usernames whose failed logins are remembered; beyond it the least recently failed are forgotten first.</summary>
    [Range(1, 10_000_000)]
    public int MaxTrackedLoginFailures { get; set; } = 100_000;

    public TokenBucket For(RateLimitKind kind) => kind switch
    {
        RateLimitKind.Sends => Sends,
        RateLimitKind.Typing => Typing,
        RateLimitKind.Receipts => Receipts,
        RateLimitKind.Syncs => Syncs,
        RateLimitKind.Conversations => Conversations,
        RateLimitKind.Uploads => Uploads,
        RateLimitKind.Registrations => Registrations,
        RateLimitKind.Logins => Logins,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
