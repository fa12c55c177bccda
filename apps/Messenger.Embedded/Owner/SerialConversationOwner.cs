using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Core.Services;

namespace Messenger.Embedded.Owner;

/// <summary>The serial owner in one process: one operation at a time per conversation, behind a keyed lock.</summary>
public sealed class SerialConversationOwner(ConversationEngine engine, ChatOptions options) : IConversationOwner
{
    private readonly KeyedLock locks = new();

    public async Task<ConversationState> CreateAsync(ConversationState initial, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(initial.ConversationId, cancellationToken);
        return await engine.CreateAsync(initial, cancellationToken);
    }

    public async Task<AppendOutcome> AppendAsync(string conversationId, MessageDraft draft, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(conversationId, cancellationToken);
        return await engine.AppendAsync(conversationId, draft, cancellationToken);
    }

    public async Task HideAsync(string conversationId, string userId, long seq, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(conversationId, cancellationToken);
        await engine.HideAsync(conversationId, userId, seq, cancellationToken);
    }

    public async Task<CursorOutcome> AdvanceCursorAsync(string conversationId, CursorMove move, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(conversationId, cancellationToken);
        return await engine.AdvanceCursorAsync(conversationId, move, cancellationToken);
    }

    public async Task<MembershipOutcome> ChangeMembersAsync(string conversationId, MembershipChange change, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(conversationId, cancellationToken);
        return await engine.ChangeMembersAsync(conversationId, change, options.MaxGroupMembers, cancellationToken);
    }

    public async Task<ConversationState> SetBlockAsync(string conversationId, BlockChange change, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(conversationId, cancellationToken);
        return await engine.SetBlockAsync(conversationId, change, cancellationToken);
    }

    public Task<ConversationState?> GetAsync(string conversationId, CancellationToken cancellationToken) =>
        engine.GetAsync(conversationId, cancellationToken);
}
