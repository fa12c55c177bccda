using System.ComponentModel.DataAnnotations;

namespace Messenger.Hosting;

/// <summary>Token settings (section <c>Messenger:Auth</c>). The signing key is a secret: configuration only, never logged.</summary>
public sealed class AuthOptions
{
    public const string Section = "Messenger:Auth";

    /// <summary>Base64 of at least 32 random bytes (HMAC-SHA256).</summary>
    [Required]
    [MinLength(44)]
    public string SigningKey { get; set; } = string.Empty;

    [Required]
    public string Issuer { get; set; } = "messenger";

    [Required]
    public string Audience { get; set; } = "messenger";

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The absolute age of a session: from login (or registration) on, no refresh carries it past this; its tokens
    /// then get 401 and its WebSockets are closed. Sign in again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SessionMaxAge { get; set; } = TimeSpan.FromDays(30);

    public byte[] KeyBytes() => Convert.FromBase64String(SigningKey);
}
