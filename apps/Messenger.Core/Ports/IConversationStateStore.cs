using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>
/// Durable state of one conversation, written only by its serial owner. Every save is atomic: the new state and
/// what changed land together or not at all.
/// </summary>
public interface IConversationStateStore
{
    Task<ConversationState?> LoadAsync(string conversationId, CancellationToken cancellationToken);

    Task<Message?> FindByClientMessageIdAsync(string conversationId, string senderId, string clientMessageId, CancellationToken cancellationToken);

    Task SaveCreatedAsync(ConversationState state, CancellationToken cancellationToken);

    Task SaveAppendedAsync(ConversationState state, Message message, CancellationToken cancellationToken);

    Task SaveCursorAsync(ConversationState state, string userId, CancellationToken cancellationToken);

    /// <summary>Saves a membership change; <paramref name="added"/> or <paramref name="removed"/> names the member.</summary>
    Task SaveMembersAsync(ConversationState state, string? added, string? removed, CancellationToken cancellationToken);
}
