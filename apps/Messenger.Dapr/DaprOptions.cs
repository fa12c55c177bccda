using System.ComponentModel.DataAnnotations;

namespace Messenger.Dapr;

/// <summary>Settings of the Dapr adapters (section <c>Messenger:Dapr</c>).</summary>
public sealed class DaprOptions
{
    public const string Section = "Messenger:Dapr";

    /// <summary>How long a gateway's connections count after its last lease renewal (the gateway renews every 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan GatewayLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a block of history stays in the <c>cache</c> store after it was last written.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan HistoryCacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Messages per cached block of history (block b holds seq b*N+1 to (b+1)*N).</summary>
    [Range(10, 500)]
    public int HistoryBlockSize { get; set; } = 50;

    /// <summary>Attempts of an optimistic (ETag) update before it gives up.</summary>
    [Range(1, 100)]
    public int ConcurrencyRetries { get; set; } = 16;

    /// <summary>Actor calls or bulk reads one request makes at once (listing conversations, say).</summary>
    [Range(1, 64)]
    public int MaxParallelCalls { get; set; } = 8;
}
