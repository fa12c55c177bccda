using System.Collections.Immutable;
using System.Text.Json;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Dapr.Actors;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Tests;

/// <summary>Group admins and the block flag in the ConversationActor's state.</summary>
public sealed class ConversationActorRolesTests
{
    private const string ConversationId = "c_1";
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();
    private readonly ActorStateVault vault = new();

    [Fact]
    public async Task Admins_are_kept_in_the_actor_state_across_activations_and_only_they_add_remove_and_promote()
    {
        (await Actor().CreateAsync(Group("u_a", "u_b", "u_c") with { AdminIds = ["u_a"] }, default)).Unwrap();

        var refused = await Actor().ChangeMembersAsync(new MembershipChange("u_b", "u_d", MembershipAction.Add), default);
        (await Actor().ChangeMembersAsync(new MembershipChange("u_a", "u_b", MembershipAction.Promote), default)).Unwrap();
        (await Actor().ChangeMembersAsync(new MembershipChange("u_b", "u_d", MembershipAction.Add), default)).Unwrap();
        var state = await Actor().GetAsync(default);

        Assert.Equal(ErrorCodes.Forbidden, refused.ErrorCode);
        Assert.Equal(["u_a", "u_b"], state!.AdminIds.ToArray());
        Assert.Equal(["u_a", "u_b", "u_c", "u_d"], state.MemberIds.ToArray());
    }

    [Fact]
    public async Task The_last_admin_leaving_hands_the_group_to_the_longest_standing_member()
    {
        (await Actor().CreateAsync(Group("u_a", "u_b", "u_c") with { AdminIds = ["u_a"] }, default)).Unwrap();

        (await Actor().ChangeMembersAsync(new MembershipChange("u_a", "u_a", MembershipAction.Remove), default)).Unwrap();

        Assert.Equal(["u_b"], (await Actor().GetAsync(default))!.AdminIds.ToArray());
    }

    [Fact]
    public async Task A_group_whose_meta_predates_admins_has_its_creator_as_admin_and_stores_it_at_the_next_change()
    {
        var state = vault.Of(ConversationId);
        state[ActorStateNames.Meta] = JsonSerializer.SerializeToUtf8Bytes(
            new { type = "group", title = "old", creatorId = "u_b", createdAt = Start, lastSeq = 0, lastActivityAt = Start }, DaprJson.Options);
        state[ActorStateNames.Members] = JsonSerializer.SerializeToUtf8Bytes(ImmutableArray.Create("u_a", "u_b"), DaprJson.Options);

        var before = await Actor().GetAsync(default);
        var refused = await Actor().ChangeMembersAsync(new MembershipChange("u_a", "u_c", MembershipAction.Add), default);
        (await Actor().ChangeMembersAsync(new MembershipChange("u_b", "u_c", MembershipAction.Add), default)).Unwrap();
        var meta = JsonSerializer.Deserialize<ConversationMeta>(vault.Of(ConversationId)[ActorStateNames.Meta], DaprJson.Options)!;

        Assert.Equal(["u_b"], before!.Admins.ToArray());
        Assert.False(before.IsBlocked);
        Assert.Equal(ErrorCodes.Forbidden, refused.ErrorCode);
        Assert.Equal(["u_b"], meta.AdminIds!.Value.ToArray());
    }

    [Fact]
    public async Task A_send_in_a_blocked_direct_conversation_is_refused_and_writes_nothing_until_the_unblock()
    {
        (await Actor().CreateAsync(Direct("u_a", "u_b"), default)).Unwrap();
        (await Actor().SetBlockAsync(new BlockChange("u_a", true), default)).Unwrap();
        var writes = dapr.CallsTo(nameof(DaprClient.ExecuteStateTransactionAsync));

        var refused = await Actor().AppendAsync(new MessageDraft("u_b", "k1", "hi", null), default);
        var refusedToo = await Actor().AppendAsync(new MessageDraft("u_a", "k2", "hi", null), default);

        Assert.Equal(ErrorCodes.Forbidden, refused.ErrorCode);
        Assert.Equal(ErrorCodes.Forbidden, refusedToo.ErrorCode);
        Assert.Equal(writes, dapr.CallsTo(nameof(DaprClient.ExecuteStateTransactionAsync)));

        (await Actor().SetBlockAsync(new BlockChange("u_a", false), default)).Unwrap();
        var sent = (await Actor().AppendAsync(new MessageDraft("u_b", "k1", "hi", null), default)).Unwrap();
        Assert.Equal(1, sent.Message.Seq);
    }

    [Fact]
    public async Task The_block_check_adds_no_state_store_call_to_a_send()
    {
        (await Actor().CreateAsync(Direct("u_a", "u_b"), default)).Unwrap();
        var actor = Actor();
        (await actor.AppendAsync(new MessageDraft("u_a", "warm", "x", null), default)).Unwrap();
        var before = dapr.Mock.Invocations.Count;
        (await actor.AppendAsync(new MessageDraft("u_a", "k1", "x", null), default)).Unwrap();
        var plain = dapr.Mock.Invocations.Count - before;

        (await actor.SetBlockAsync(new BlockChange("u_b", true), default)).Unwrap();
        (await actor.SetBlockAsync(new BlockChange("u_b", false), default)).Unwrap();
        before = dapr.Mock.Invocations.Count;
        (await actor.AppendAsync(new MessageDraft("u_a", "k2", "x", null), default)).Unwrap();
        var afterBlocks = dapr.Mock.Invocations.Count - before;

        Assert.Equal(plain, afterBlocks);
        Assert.DoesNotContain(dapr.Mock.Invocations, i => i.Arguments.OfType<string>().Any(a => a.EndsWith(":blocks", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_block_flag_is_kept_across_activations_and_refused_on_a_group()
    {
        (await Actor().CreateAsync(Direct("u_a", "u_b"), default)).Unwrap();
        (await Actor().SetBlockAsync(new BlockChange("u_b", true), default)).Unwrap();

        Assert.Equal(["u_b"], (await Actor().GetAsync(default))!.BlockedBy.ToArray());

        var group = new ActorStateVault();
        var host = ActorHost.CreateForTest<ConversationActor>(DaprNames.ConversationActorType, new ActorTestOptions { ActorId = new ActorId("c_g") });
        var groupActor = new ConversationActor(host, dapr.Client, TimeProvider.System, new ChatOptions(), Options.Create(new DaprOptions()), group.ManagerFor("c_g"));
        (await groupActor.CreateAsync(Group("u_a", "u_b") with { ConversationId = "c_g" }, default)).Unwrap();
        Assert.Equal(ErrorCodes.BadRequest, (await groupActor.SetBlockAsync(new BlockChange("u_a", true), default)).ErrorCode);
    }

    private static ConversationState Group(params string[] members) =>
        new(ConversationId, ConversationType.Group, "team", members[0], Start, [.. members], 0, Start, ImmutableDictionary<string, Cursor>.Empty);

    private static ConversationState Direct(string a, string b) =>
        new(ConversationId, ConversationType.Direct, null, a, Start, [a, b], 0, Start, ImmutableDictionary<string, Cursor>.Empty);

    private ConversationActor Actor()
    {
        var host = ActorHost.CreateForTest<ConversationActor>(DaprNames.ConversationActorType, new ActorTestOptions { ActorId = new ActorId(ConversationId) });
        return new ConversationActor(host, dapr.Client, TimeProvider.System, new ChatOptions(), Options.Create(new DaprOptions()), vault.ManagerFor(ConversationId));
    }
}
