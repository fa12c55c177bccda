using Dapr.Actors.Runtime;
using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Core.Services;
using Messenger.Dapr.State;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Actors;

/// <summary>
/// The serial owner of one conversation, hosted by the messages app: Core's <see cref="ConversationEngine"/> over the
/// actor's state. Dapr's turn-based concurrency runs one call at a time per conversation, so seq assignment,
/// dedupe, cursors and membership changes never interleave, whichever gateway or app the calls come from.
/// </summary>
[Actor(TypeName = DaprNames.ConversationActorType)]
public sealed class ConversationActor : Actor, IConversationActor
{
    private readonly ConversationEngine engine;
    private readonly ActorConversationStateStore store;
    private readonly ChatOptions chat;

    /// <param name="stateManager">Tests pass one; Dapr's own is used otherwise.</param>
    public ConversationActor(
        ActorHost host, DaprClient dapr, TimeProvider time, ChatOptions chat, IOptions<DaprOptions> options, IActorStateManager? stateManager = null)
        : base(host)
    {
        if (stateManager is not null)
        {
            StateManager = stateManager;
        }

        var records = new StateRecords(dapr, options);
        store = new ActorConversationStateStore(StateManager, records, new UserConversationIndex(records), options.Value);
        engine = new ConversationEngine(store, time, chat);
        this.chat = chat;
    }

    private string ConversationId => Id.GetId();

    public Task<ActorReply<ConversationState>> CreateAsync(ConversationState initial, CancellationToken cancellationToken) =>
        initial.ConversationId == ConversationId
            ? ActorReplies.RunAsync(() => engine.CreateAsync(initial, cancellationToken))
            : throw new ArgumentException("The conversation id is not this actor's.", nameof(initial));

    public Task<ActorReply<AppendOutcome>> AppendAsync(MessageDraft draft, CancellationToken cancellationToken) =>
        ActorReplies.RunAsync(() => engine.AppendAsync(ConversationId, draft, cancellationToken));

    public Task<ActorReply<bool>> HideAsync(string userId, long seq, CancellationToken cancellationToken) =>
        ActorReplies.RunAsync(async () =>
        {
            await engine.HideAsync(ConversationId, userId, seq, cancellationToken);
            return true;
        });

    public Task<ActorReply<CursorOutcome>> AdvanceCursorAsync(CursorMove move, CancellationToken cancellationToken) =>
        ActorReplies.RunAsync(() => engine.AdvanceCursorAsync(ConversationId, move, cancellationToken));

    public Task<ActorReply<MembershipOutcome>> ChangeMembersAsync(MembershipChange change, CancellationToken cancellationToken) =>
        ActorReplies.RunAsync(() => engine.ChangeMembersAsync(ConversationId, change, chat.MaxGroupMembers, cancellationToken));

    public Task<ActorReply<ConversationState>> SetBlockAsync(BlockChange change, CancellationToken cancellationToken) =>
        ActorReplies.RunAsync(() => engine.SetBlockAsync(ConversationId, change, cancellationToken));

    public Task<ConversationState?> GetAsync(CancellationToken cancellationToken) =>
        engine.GetAsync(ConversationId, cancellationToken);

    public Task<ConversationSummary?> SummarizeAsync(string userId, CancellationToken cancellationToken) =>
        store.SummarizeAsync(ConversationId, userId, cancellationToken);
}
