namespace Messenger.Core.Services;

public sealed class ChatOptions
{
    public const string Section = "Messenger:Chat";

    public int MaxGroupMembers { get; set; } = 1024;

    /// <summary>How long after sending a message its sender may still edit it.</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromMinutes(15);
}
