using System.Collections.Immutable;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Dapr.Actors;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Tests;

/// <summary>The ConversationActor through ActorHost.CreateForTest: Core's engine over actor state and the state store.</summary>
public sealed class ConversationActorTests
{
    private const string ConversationId = "c_1";
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();
    private readonly ActorStateVault vault = new();

    [Fact]
    public async Task Appends_get_consecutive_seqs_and_land_under_deterministic_keys()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");

        var first = (await actor.AppendAsync(new MessageDraft("u_a", "m-1", "one", null), default)).Unwrap();
        var second = (await actor.AppendAsync(new MessageDraft("u_b", "m-1", "two", null), default)).Unwrap();

        Assert.Equal([1L, 2L], new[] { first.Message.Seq, second.Message.Seq });
        Assert.Equal("two", dapr.Read<Message>(DaprNames.StateStore, StateKeys.Message(ConversationId, 2))!.Text);
        Assert.Equal(2, dapr.Read<ClientMessageEntry>(DaprNames.StateStore, StateKeys.ClientMessage(ConversationId, "u_b", "m-1"))!.Seq);
        Assert.Equal(2, (await actor.GetAsync(default))!.LastSeq);
    }

    [Fact]
    public async Task Send_with_repeated_client_id_stores_once()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        var first = (await actor.AppendAsync(new MessageDraft("u_a", "same", "hello", null), default)).Unwrap();
        var writes = dapr.CallsTo(nameof(global::Dapr.Client.DaprClient.ExecuteStateTransactionAsync));

        var again = (await actor.AppendAsync(new MessageDraft("u_a", "same", "hello", null), default)).Unwrap();

        Assert.True(again.Duplicate);
        Assert.Equal(first.Message, again.Message);
        Assert.Equal(writes, dapr.CallsTo(nameof(global::Dapr.Client.DaprClient.ExecuteStateTransactionAsync)));
        Assert.Equal(1, (await actor.GetAsync(default))!.LastSeq);
    }

    [Fact]
    public async Task A_crash_before_the_head_moves_leaves_no_gap_and_the_retry_takes_the_same_seq()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        (await actor.AppendAsync(new MessageDraft("u_a", "m-1", "one", null), default)).Unwrap();
        var state = vault.ManagerFor(ConversationId);
        state.FailNextSave = true;
        var crashing = Actor(state);

        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.AppendAsync(new MessageDraft("u_a", "m-2", "lost?", null), default));

        // The message key was written before the head; the head still says 1, so nobody reads seq 2 yet.
        Assert.True(dapr.Has(DaprNames.StateStore, StateKeys.Message(ConversationId, 2)));
        var restarted = Actor();
        Assert.Equal(1, (await restarted.GetAsync(default))!.LastSeq);
        var retry = (await restarted.AppendAsync(new MessageDraft("u_a", "m-2", "lost?", null), default)).Unwrap();
        Assert.False(retry.Duplicate);
        Assert.Equal(2, retry.Message.Seq);
        Assert.Equal(retry.Message.MessageId, dapr.Read<Message>(DaprNames.StateStore, StateKeys.Message(ConversationId, 2))!.MessageId);
    }

    [Fact]
    public async Task A_non_member_is_told_not_found_and_nothing_is_stored()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");

        var reply = await actor.AppendAsync(new MessageDraft("u_x", "m-1", "let me in", null), default);

        Assert.Equal(ErrorCodes.NotFound, reply.ErrorCode);
        Assert.Throws<ChatException>(() => reply.Unwrap());
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Message(ConversationId, 1)));
    }

    [Fact]
    public async Task Cursors_only_move_forward_are_clamped_to_lastSeq_and_read_implies_delivered()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        for (var i = 1; i <= 3; i++)
        {
            (await actor.AppendAsync(new MessageDraft("u_a", $"m-{i}", "x", null), default)).Unwrap();
        }

        var read = (await actor.AdvanceCursorAsync(new CursorMove("u_b", null, 2), default)).Unwrap();
        var back = (await actor.AdvanceCursorAsync(new CursorMove("u_b", 1, 1), default)).Unwrap();
        var beyond = (await actor.AdvanceCursorAsync(new CursorMove("u_b", 99, null), default)).Unwrap();

        Assert.Equal(new Cursor(2, 2), read.Cursor);
        Assert.False(back.Changed);
        Assert.Equal(new Cursor(3, 2), beyond.Cursor);
        Assert.Equal(new Cursor(3, 2), (await Actor().GetAsync(default))!.CursorOf("u_b"));
    }

    [Fact]
    public async Task Unread_counts_others_messages_above_the_read_cursor()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        (await actor.AppendAsync(new MessageDraft("u_a", "1", "from a", null), default)).Unwrap();
        (await actor.AppendAsync(new MessageDraft("u_b", "2", "from b", null), default)).Unwrap();
        (await actor.AppendAsync(new MessageDraft("u_a", "3", "from a", null), default)).Unwrap();
        (await actor.AdvanceCursorAsync(new CursorMove("u_b", null, 1), default)).Unwrap();

        var forB = await actor.SummarizeAsync("u_b", default);
        var forA = await Actor().SummarizeAsync("u_a", default);

        Assert.Equal(1, forB!.UnreadCount);
        Assert.Equal(3, forB.LastMessage!.Seq);
        Assert.Equal(1, forA!.UnreadCount);
        Assert.Null(await actor.SummarizeAsync("u_x", default));
    }

    [Fact]
    public async Task Membership_changes_update_the_users_conversation_indexes()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");

        (await actor.ChangeMembersAsync(new MembershipChange("u_a", "u_c", MembershipAction.Add), default)).Unwrap();
        (await actor.ChangeMembersAsync(new MembershipChange("u_a", "u_b", MembershipAction.Remove), default)).Unwrap();
        var refused = await actor.ChangeMembersAsync(new MembershipChange("u_c", "u_a", MembershipAction.Remove), default);

        Assert.Equal(["u_a", "u_c"], (await actor.GetAsync(default))!.MemberIds.ToArray());
        Assert.Equal([ConversationId], Index("u_c").ToArray());
        Assert.Empty(Index("u_b"));
        Assert.Equal(ErrorCodes.Forbidden, refused.ErrorCode);
    }

    [Fact]
    public async Task Creating_twice_keeps_the_first_conversation()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");

        var again = (await actor.CreateAsync(Group("u_a", "u_z") with { Title = "other" }, default)).Unwrap();

        Assert.Equal(["u_a", "u_b"], again.MemberIds.ToArray());
        Assert.Equal("team", again.Title);
    }

    private async Task<ConversationActor> CreatedGroupAsync(params string[] members)
    {
        var actor = Actor();
        (await actor.CreateAsync(Group(members), default)).Unwrap();
        return actor;
    }

    private static ConversationState Group(params string[] members) =>
        new(ConversationId, ConversationType.Group, "team", members[0], Start, [.. members], 0, Start, ImmutableDictionary<string, Cursor>.Empty);

    private ImmutableArray<string> Index(string userId) =>
        dapr.Read<ConversationIndex>(DaprNames.StateStore, StateKeys.UserConversations(userId))?.Ids ?? [];

    private ConversationActor Actor(IActorStateManager? state = null)
    {
        var host = ActorHost.CreateForTest<ConversationActor>(DaprNames.ConversationActorType, new ActorTestOptions { ActorId = new ActorId(ConversationId) });
        return new ConversationActor(host, dapr.Client, TimeProvider.System, new ChatOptions(), Options.Create(new DaprOptions()), state ?? vault.ManagerFor(ConversationId));
    }
}
