namespace Messenger.Core.Services;

public sealed class ChatOptions
{
    public const string Section = "Messenger:Chat";

    public int MaxGroupMembers { get; set; } = 1024;
}
