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

    /// <summary>
    /// Saves a membership change with the group's admins (<see cref="ConversationState.AdminIds"/>);
    /// <paramref name="added"/> or <paramref name="removed"/> names the member, neither for a change of roles only.
    /// </summary>
    Task SaveMembersAsync(ConversationState state, string? added, string? removed, CancellationToken cancellationToken);

    /// <summary>Saves <see cref="ConversationState.BlockedBy"/> of a direct conversation.</summary>
    Task SaveBlocksAsync(ConversationState state, CancellationToken cancellationToken);
}
