using Dapr.Actors;
using Messenger.Core.Domain;
using Messenger.Core.Services;

namespace Messenger.Dapr.Actors;

/// <summary>
/// The serial owner of one conversation (actor id = conversation id). Dapr runs one call at a time per actor, which
/// is what keeps seq gap-free and every change ordered. Calls go over actor remoting with JSON serialization.
/// </summary>
public interface IConversationActor : IActor
{
    Task<ActorReply<ConversationState>> CreateAsync(ConversationState initial, CancellationToken cancellationToken);

    Task<ActorReply<AppendOutcome>> AppendAsync(MessageDraft draft, CancellationToken cancellationToken);

    /// <summary>"Delete for me" of the message at <paramref name="seq"/> (the reply's value is meaningless).</summary>
    Task<ActorReply<bool>> HideAsync(string userId, long seq, CancellationToken cancellationToken);

    Task<ActorReply<CursorOutcome>> AdvanceCursorAsync(CursorMove move, CancellationToken cancellationToken);

    Task<ActorReply<MembershipOutcome>> ChangeMembersAsync(MembershipChange change, CancellationToken cancellationToken);

    Task<ActorReply<ConversationState>> SetBlockAsync(BlockChange change, CancellationToken cancellationToken);

    Task<ConversationState?> GetAsync(CancellationToken cancellationToken);

    /// <summary>The conversation as <paramref name="userId"/> sees it in their list; null for a non-member.</summary>
    Task<ConversationSummary?> SummarizeAsync(string userId, CancellationToken cancellationToken);
}
