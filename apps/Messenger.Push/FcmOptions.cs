namespace Messenger.Push;

/// <summary>
/// FCM HTTP v1 settings, bound from <see cref="SectionName"/> (environment: <c>Messenger__Push__Fcm__ProjectId</c>, ...).
/// Leaving both <see cref="ProjectId"/> and <see cref="CredentialsFile"/> unset means push is off.
/// </summary>
public sealed class FcmOptions
{
    public const string SectionName = "Messenger:Push:Fcm";
    public const string DefaultEndpoint = "https://fcm.googleapis.com";

    /// <summary>The Firebase project whose messages:send is called.</summary>
    public string? ProjectId { get; set; }

    /// <summary>Path of a service-account JSON key; its <c>token_uri</c> is where access tokens come from.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>Base address of the FCM API.</summary>
    public string Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>At most one push per conversation per device within this window (zero turns collapsing off).</summary>
    public TimeSpan CollapseWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of one send after a 429, a 5xx or a network error.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially with jitter. A Retry-After header wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one send, retries and their delays included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many recipients of one message are handled at once.</summary>
    public int MaxConcurrentSends { get; set; } = 8;

    /// <summary>True when both the project and the credentials are set, i.e. push is on.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ProjectId) && !string.IsNullOrWhiteSpace(CredentialsFile);
}
