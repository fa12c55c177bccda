using System.ComponentModel.DataAnnotations;

namespace Messenger.Gateway;

/// <summary>Settings of one gateway instance (section <c>Messenger:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Messenger:Gateway";

    /// <summary>This instance's id, unique among gateways; a random one when not set.</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string? InstanceId { get; set; }

    /// <summary>Frames waiting for a slow client before its connection is closed (1013) to resync later.</summary>
    [Range(16, 1_000_000)]
    public int OutboundQueueCapacity { get; set; } = 4096;

    [Range(1024, 16 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A send to a client that takes longer than this means the client has stalled: the connection is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Open connections one user may hold on this gateway; one more is refused with 429.</summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerUser { get; set; } = 10;

    /// <summary>Open (upgraded) connections this gateway holds at most; one more is refused with 503.</summary>
    [Range(1, 10_000_000)]
    public int MaxConnections { get; set; } = 50_000;

    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may open a WebSocket here besides the gateway's own. A browser
    /// always sends Origin; a request from any other origin is refused (403), against cross-site WebSocket hijacking.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PresenceRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the gateway looks for connections past their session's known end (<see cref="SessionWatch"/>): a
    /// scan in memory, with one store read for the few that are due. Bounds how late an expired session's WebSocket closes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02")]
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
