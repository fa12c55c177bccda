using System.ComponentModel.DataAnnotations;

namespace Messenger.Messages;

/// <summary>Section <c>Messenger:Presence</c>.</summary>
public sealed class PresenceSweepOptions
{
    public const string Section = "Messenger:Presence";

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}
