using System.ComponentModel.DataAnnotations;
using Messenger.Embedded.Sqlite;

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

    /// <summary>
    /// How many messages the message log holds before they are merged into the messages table: more means fewer
    /// pages written per message (a conversation's pages are written once per merge) and more memory (each is also
    /// held in memory until merged).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MessageLogMergeRows { get; set; } = SqliteMessageLog.DefaultMergeRows;

    /// <summary>How often a message log holding any message is merged.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MessageLogMergeInterval { get; set; } = SqliteMessageLog.DefaultMergeInterval;

    /// <summary>
    /// The pace of the group commits (fsyncs) of the database and of its message log under load: after a burst of
    /// <see cref="GroupCommitQueue{T}.Burst"/>, one per interval, so that the writes arriving meanwhile share the next
    /// fsync, whose CPU cost is the same however many it carries. Below that pace nothing waits. Zero: each commit
    /// starts as soon as the last one ends.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:00.100")]
    public TimeSpan GroupCommitInterval { get; set; } = SqliteDatabase.DefaultCommitInterval;

    public string DatabasePath => Path.Combine(DataDir, "messenger.db");
}
