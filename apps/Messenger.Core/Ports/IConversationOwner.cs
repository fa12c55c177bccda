using Messenger.Core.Domain;
using Messenger.Core.Services;

namespace Messenger.Core.Ports;

/// <summary>
/// The one serial authority over a conversation: it alone assigns seq and changes members and cursors, one
/// operation at a time. Embedded: a per-conversation lock; Dapr: a ConversationActor.
/// </summary>
public interface IConversationOwner
{
    Task<ConversationState> CreateAsync(ConversationState initial, CancellationToken cancellationToken);

    Task<AppendOutcome> AppendAsync(string conversationId, MessageDraft draft, CancellationToken cancellationToken);

    /// <summary>"Delete for me": leaves a message out of one member's own history reads.</summary>
    Task HideAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken);

    Task<CursorOutcome> AdvanceCursorAsync(string conversationId, CursorMove move, CancellationToken cancellationToken);

    Task<MembershipOutcome> ChangeMembersAsync(string conversationId, MembershipChange change, CancellationToken cancellationToken);

    /// <summary>Sets or clears a member's block flag on a direct conversation, in order with its messages.</summary>
    Task<ConversationState> SetBlockAsync(string conversationId, BlockChange change, CancellationToken cancellationToken);

    Task<ConversationState?> GetAsync(string conversationId, CancellationToken cancellationToken);
}
