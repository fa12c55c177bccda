using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Core.Services;

namespace Messenger.IntegrationTests.Infrastructure;

/// <summary>The real owner, with every append (a send) taking <paramref name="delay"/> longer: a slow store under load.</summary>
internal sealed class SlowAppendOwner(IConversationOwner inner, TimeSpan delay) : IConversationOwner
{
    public Task<ConversationState> CreateAsync(ConversationState initial, CancellationToken cancellationToken) =>
        inner.CreateAsync(initial, cancellationToken);

    public async Task<AppendOutcome> AppendAsync(string conversationId, MessageDraft draft, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return await inner.AppendAsync(conversationId, draft, cancellationToken);
    }

    public Task HideAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken) =>
        inner.HideAsync(conversationId, userId, seq, cancellationToken);

    public Task<CursorOutcome> AdvanceCursorAsync(string conversationId, CursorMove move, CancellationToken cancellationToken) =>
        inner.AdvanceCursorAsync(conversationId, move, cancellationToken);

    public Task<MembershipOutcome> ChangeMembersAsync(string conversationId, MembershipChange change, CancellationToken cancellationToken) =>
        inner.ChangeMembersAsync(conversationId, change, cancellationToken);

    public Task<ConversationState> SetBlockAsync(string conversationId, BlockChange change, CancellationToken cancellationToken) =>
        inner.SetBlockAsync(conversationId, change, cancellationToken);

    public Task<ConversationState?> GetAsync(string conversationId, CancellationToken cancellationToken) =>
        inner.GetAsync(conversationId, cancellationToken);
}
