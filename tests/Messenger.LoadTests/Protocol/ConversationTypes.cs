namespace Messenger.LoadTests.Protocol;

/// <summary>Values of the conversation <c>type</c> field.</summary>
public static class ConversationTypes
{
    public const string Direct = "direct";
    public const string Group = "group";
}
