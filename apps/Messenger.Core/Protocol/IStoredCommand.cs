namespace Messenger.Core.Protocol;

/// <summary>A frame that stores an event in a conversation (send, react, edit, delete): answered with <c>sent</c>.</summary>
public interface IStoredCommand
{
    string ConversationId { get; }

    string ClientMessageId { get; }
}
