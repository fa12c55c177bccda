using System.ComponentModel.DataAnnotations;

namespace Messenger.Embedded;

/// <summary>Settings of the one-process adapters (section <c>Messenger</c>).</summary>
public sealed class EmbeddedOptions
{
    public const string Section = "Messenger";

    /// <summary>Where the database (and, in the standalone host, the generated signing key) live.</summary>
    [Required]
    public string DataDir { get; set; } = "data";

    /// <summary>How long a gateway's connections count without the gateway renewing its lease.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GatewayLease { get; set; } = TimeSpan.FromSeconds(30);

    public string DatabasePath => Path.Combine(DataDir, "messenger.db");
}
