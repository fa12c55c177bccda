using Messenger.Dapr;

namespace Messenger.Media.DaprHost;

/// <summary>
/// Where a Dapr-mode media app finds its blob storage (section <c>Messenger:Media</c>): unless
/// <c>Messenger:Media:BlobConnectionString</c> is configured directly, the connection string is read from the
/// <c>secretstore</c> component, under <see cref="BlobConnectionStringSecret"/>, once the sidecar is up.
/// </summary>
public sealed class MediaSecretOptions
{
    public const string Section = MediaOptions.Section;

    /// <summary>The secret's name; empty keeps the blobs on the local disk (one media instance, development only).</summary>
    public string? BlobConnectionStringSecret { get; set; } = DaprNames.MediaBlobConnectionSecret;

    public bool UsesSecret => !string.IsNullOrWhiteSpace(BlobConnectionStringSecret);
}
