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

    /// <summary>The stored event at <paramref name="seq"/> (the owner asks only for seqs up to the last one), as folded.</summary>
    Task<Message?> FindBySeqAsync(string conversationId, long seq, CancellationToken cancellationToken);

    Task SaveCreatedAsync(ConversationState state, CancellationToken cancellationToken);

    Task SaveAppendedAsync(ConversationState state, Message message, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a reaction, edit or delete (<paramref name="change"/>, the new head's seq) and its target as folded by it,
    /// atomically: a reader never sees one without the other. A deleted target's text, media and reactions are gone
    /// from storage after it.
    /// </summary>
    Task SaveChangedAsync(ConversationState state, Message change, Message target, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="userId"/> hid the message at <paramref name="seq"/> from their own history.</summary>
    Task SaveHiddenAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken);

    Task SaveCursorAsync(ConversationState state, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a membership change with the group's admins (<see cref="ConversationState.AdminIds"/>);
    /// <paramref name="added"/> or <paramref name="removed"/> names the member, neither for a change of roles only.
    /// </summary>
    Task SaveMembersAsync(ConversationState state, string? added, string? removed, CancellationToken cancellationToken);

    /// <summary>Saves <see cref="ConversationState.BlockedBy"/> of a direct conversation.</summary>
    Task SaveBlocksAsync(ConversationState state, CancellationToken cancellationToken);
}
