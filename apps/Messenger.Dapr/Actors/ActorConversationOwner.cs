using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Core.Services;

namespace Messenger.Dapr.Actors;

/// <summary>The serial owner port over Dapr actors: every call goes to the conversation's <see cref="IConversationActor"/>.</summary>
public sealed class ActorConversationOwner(ConversationActors actors) : IConversationOwner
{
    public async Task<ConversationState> CreateAsync(ConversationState initial, CancellationToken cancellationToken) =>
        (await actors.Of(initial.ConversationId).CreateAsync(initial, cancellationToken)).Unwrap();

    public async Task<AppendOutcome> AppendAsync(string conversationId, MessageDraft draft, CancellationToken cancellationToken) =>
        (await actors.Of(conversationId).AppendAsync(draft, cancellationToken)).Unwrap();

    public async Task HideAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken) =>
        (await actors.Of(conversationId).HideAsync(userId, seq, cancellationToken)).Unwrap();

    public async Task<CursorOutcome> AdvanceCursorAsync(string conversationId, CursorMove move, CancellationToken cancellationToken) =>
        (await actors.Of(conversationId).AdvanceCursorAsync(move, cancellationToken)).Unwrap();

    public async Task<MembershipOutcome> ChangeMembersAsync(string conversationId, MembershipChange change, CancellationToken cancellationToken) =>
        (await actors.Of(conversationId).ChangeMembersAsync(change, cancellationToken)).Unwrap();

    public async Task<ConversationState> SetBlockAsync(string conversationId, BlockChange change, CancellationToken cancellationToken) =>
        (await actors.Of(conversationId).SetBlockAsync(change, cancellationToken)).Unwrap();

    public Task<ConversationState?> GetAsync(string conversationId, CancellationToken cancellationToken) =>
        actors.Of(conversationId).GetAsync(cancellationToken);
}
