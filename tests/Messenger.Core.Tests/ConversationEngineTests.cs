using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Core.Services;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Messenger.Core.Tests;

public sealed class ConversationEngineTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Mock<IConversationStateStore> store = new(MockBehavior.Strict);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConversationEngine engine;

    public ConversationEngineTests() => engine = new ConversationEngine(store.Object, time, new ChatOptions());

    [Fact]
    public async Task Create_saves_a_new_conversation()
    {
        var initial = States.Group("c_1", "a", ["a", "b"]);
        Given(null, "c_1");
        store.Setup(s => s.SaveCreatedAsync(initial, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var created = await engine.CreateAsync(initial, None);

        Assert.Same(initial, created);
        store.Verify(s => s.SaveCreatedAsync(initial, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Create_of_an_existing_conversation_returns_it_and_saves_nothing()
    {
        var existing = States.Direct("c_1", "a", "b", lastSeq: 3);
        Given(existing);

        var created = await engine.CreateAsync(States.Direct("c_1", "b", "a"), None);

        Assert.Same(existing, created);
        store.Verify(s => s.SaveCreatedAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Append_assigns_seq_last_plus_one_and_saves_message_and_state_together()
    {
        Given(States.Group("c_1", "a", ["a", "b"], lastSeq: 41));
        store.Setup(s => s.FindByClientMessageIdAsync("c_1", "b", "k1", It.IsAny<CancellationToken>())).ReturnsAsync((Message?)null);
        ConversationState? savedState = null;
        Message? savedMessage = null;
        store.Setup(s => s.SaveAppendedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, Message m, CancellationToken _) => (savedState, savedMessage) = (st, m))
            .Returns(Task.CompletedTask);

        var outcome = await engine.AppendAsync("c_1", new MessageDraft("b", "k1", "hello", null), None);

        Assert.False(outcome.Duplicate);
        Assert.Equal(42, outcome.Message.Seq);
        Assert.Equal("c_1", outcome.Message.ConversationId);
        Assert.Equal("b", outcome.Message.SenderId);
        Assert.Equal("k1", outcome.Message.ClientMessageId);
        Assert.Equal("hello", outcome.Message.Text);
        Assert.Equal(time.GetUtcNow(), outcome.Message.SentAt);
        Assert.StartsWith("m_", outcome.Message.MessageId);
        Assert.Equal(["a", "b"], outcome.MemberIds.ToArray());
        Assert.Same(outcome.Message, savedMessage);
        Assert.Equal(42, savedState!.LastSeq);
        Assert.Equal(time.GetUtcNow(), savedState.LastActivityAt);
    }

    [Fact]
    public async Task Append_of_a_first_message_gets_seq_1()
    {
        Given(States.Direct("c_1", "a", "b"));
        store.Setup(s => s.FindByClientMessageIdAsync("c_1", "a", "k1", It.IsAny<CancellationToken>())).ReturnsAsync((Message?)null);
        store.Setup(s => s.SaveAppendedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await engine.AppendAsync("c_1", new MessageDraft("a", "k1", "hi", null), None);

        Assert.Equal(1, outcome.Message.Seq);
    }

    [Fact]
    public async Task Append_with_repeated_client_id_returns_the_stored_message_and_saves_nothing()
    {
        Given(States.Group("c_1", "a", ["a", "b"], lastSeq: 9));
        var stored = new Message("m_old", "c_1", 4, "b", "k1", "first try", null, States.Created);
        store.Setup(s => s.FindByClientMessageIdAsync("c_1", "b", "k1", It.IsAny<CancellationToken>())).ReturnsAsync(stored);

        var outcome = await engine.AppendAsync("c_1", new MessageDraft("b", "k1", "second try", null), None);

        Assert.True(outcome.Duplicate);
        Assert.Same(stored, outcome.Message);
        store.Verify(s => s.SaveAppendedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Append_by_a_non_member_is_not_found_and_reveals_nothing()
    {
        Given(States.Group("c_1", "a", ["a", "b"]));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", new MessageDraft("mallory", "k1", "hi", null), None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        store.Verify(s => s.FindByClientMessageIdAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        store.Verify(s => s.SaveAppendedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Append_to_a_missing_conversation_is_not_found()
    {
        Given(null, "c_nope");

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_nope", new MessageDraft("a", "k1", "hi", null), None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
    }

    [Fact]
    public async Task AdvanceCursor_moves_the_cursor_and_saves_it()
    {
        Given(States.Group("c_1", "a", ["a", "b"], lastSeq: 10));
        ConversationState? saved = null;
        store.Setup(s => s.SaveCursorAsync(It.IsAny<ConversationState>(), "b", It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, string _, CancellationToken _) => saved = st)
            .Returns(Task.CompletedTask);

        var outcome = await engine.AdvanceCursorAsync("c_1", new CursorMove("b", null, 6), None);

        Assert.True(outcome.Changed);
        Assert.Equal(new Cursor(6, 6), outcome.Cursor);
        Assert.Equal(new Cursor(6, 6), saved!.CursorOf("b"));
        Assert.Equal(Cursor.Zero, saved.CursorOf("a"));
        Assert.Equal(["a", "b"], outcome.MemberIds.ToArray());
    }

    [Fact]
    public async Task AdvanceCursor_clamps_to_last_seq()
    {
        Given(States.Group("c_1", "a", ["a", "b"], lastSeq: 3));
        store.Setup(s => s.SaveCursorAsync(It.IsAny<ConversationState>(), "a", It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await engine.AdvanceCursorAsync("c_1", new CursorMove("a", 99, 50), None);

        Assert.Equal(new Cursor(3, 3), outcome.Cursor);
    }

    [Fact]
    public async Task AdvanceCursor_that_changes_nothing_saves_nothing()
    {
        var state = States.Group("c_1", "a", ["a", "b"], lastSeq: 10);
        Given(state with { Cursors = state.Cursors.SetItem("b", new Cursor(8, 5)) });

        var outcome = await engine.AdvanceCursorAsync("c_1", new CursorMove("b", 7, 5), None);

        Assert.False(outcome.Changed);
        Assert.Equal(new Cursor(8, 5), outcome.Cursor);
        store.Verify(s => s.SaveCursorAsync(It.IsAny<ConversationState>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AdvanceCursor_by_a_non_member_is_not_found()
    {
        Given(States.Group("c_1", "a", ["a", "b"], lastSeq: 10));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AdvanceCursorAsync("c_1", new CursorMove("mallory", 1, 1), None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
    }

    [Fact]
    public async Task AddMember_to_a_direct_conversation_is_a_bad_request()
    {
        Given(States.Direct("c_1", "a", "b"));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("a", "c", MembershipAction.Add), 1024, None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task AddMember_by_an_admin_adds_keeps_the_admins_and_saves()
    {
        Given(States.Group("c_1", "a", ["a", "b"]) with { AdminIds = ["a"] });
        ConversationState? saved = null;
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), "c", null, It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, string? _, string? _, CancellationToken _) => saved = st)
            .Returns(Task.CompletedTask);

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "c", MembershipAction.Add), 1024, None);

        Assert.True(outcome.Changed);
        Assert.Equal(["a", "b", "c"], outcome.State.MemberIds.ToArray());
        Assert.Equal(["a", "b", "c"], saved!.MemberIds.ToArray());
        Assert.Equal(["a"], saved.AdminIds.ToArray());
        Assert.Equal(MemberRole.Member, saved.RoleOf("c"));
    }

    [Fact]
    public async Task AddMember_by_a_member_who_is_not_an_admin_is_forbidden()
    {
        Given(States.Group("c_1", "a", ["a", "b"]) with { AdminIds = ["a"] });

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("b", "c", MembershipAction.Add), 1024, None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task AddMember_to_a_group_stored_before_admins_lets_the_creator_add_and_stores_the_creator_as_admin()
    {
        Given(States.Group("c_1", "a", ["a", "b"]));
        ConversationState? saved = null;
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), "c", null, It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, string? _, string? _, CancellationToken _) => saved = st)
            .Returns(Task.CompletedTask);

        await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "c", MembershipAction.Add), 1024, None);
        var refused = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("b", "d", MembershipAction.Add), 1024, None));

        Assert.Equal(["a"], saved!.AdminIds.ToArray());
        Assert.Equal(ErrorCodes.Forbidden, refused.Code);
    }

    [Fact]
    public async Task Promote_by_an_admin_makes_the_member_an_admin_and_saves_roles_only()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]) with { AdminIds = ["a"] });
        ConversationState? saved = null;
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), null, null, It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, string? _, string? _, CancellationToken _) => saved = st)
            .Returns(Task.CompletedTask);

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "b", MembershipAction.Promote), 1024, None);

        Assert.True(outcome.Changed);
        Assert.Equal(["a", "b"], saved!.AdminIds.ToArray());
        Assert.Equal(["a", "b", "c"], saved.MemberIds.ToArray());
    }

    [Fact]
    public async Task Promoted_admin_may_add_and_remove_members()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]) with { AdminIds = ["a", "b"] });
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var added = await engine.ChangeMembersAsync("c_1", new MembershipChange("b", "d", MembershipAction.Add), 1024, None);
        var removed = await engine.ChangeMembersAsync("c_1", new MembershipChange("b", "c", MembershipAction.Remove), 1024, None);

        Assert.True(added.Changed);
        Assert.True(removed.Changed);
    }

    [Fact]
    public async Task Promote_by_a_member_who_is_not_an_admin_is_forbidden()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]) with { AdminIds = ["a"] });

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("b", "c", MembershipAction.Promote), 1024, None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task Promote_of_someone_who_is_not_a_member_is_a_bad_request()
    {
        Given(States.Group("c_1", "a", ["a", "b"]) with { AdminIds = ["a"] });

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("a", "zed", MembershipAction.Promote), 1024, None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task Promote_of_an_admin_changes_nothing()
    {
        Given(States.Group("c_1", "a", ["a", "b"]) with { AdminIds = ["a", "b"] });

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "b", MembershipAction.Promote), 1024, None);

        Assert.False(outcome.Changed);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task Promote_in_a_direct_conversation_is_a_bad_request()
    {
        Given(States.Direct("c_1", "a", "b"));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("a", "b", MembershipAction.Promote), 1024, None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task Last_admin_leaving_makes_the_longest_standing_member_the_admin()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]) with { AdminIds = ["a"] });
        ConversationState? saved = null;
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), null, "a", It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, string? _, string? _, CancellationToken _) => saved = st)
            .Returns(Task.CompletedTask);

        await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "a", MembershipAction.Remove), 1024, None);

        Assert.Equal(["b", "c"], saved!.MemberIds.ToArray());
        Assert.Equal(["b"], saved.AdminIds.ToArray());
    }

    [Fact]
    public async Task An_admin_leaving_while_another_admin_stays_names_no_successor()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]) with { AdminIds = ["a", "c"] });
        ConversationState? saved = null;
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), null, "a", It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, string? _, string? _, CancellationToken _) => saved = st)
            .Returns(Task.CompletedTask);

        await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "a", MembershipAction.Remove), 1024, None);

        Assert.Equal(["c"], saved!.AdminIds.ToArray());
    }

    [Fact]
    public void Group_stored_before_admins_has_its_creator_as_admin_or_else_its_longest_standing_member()
    {
        var withCreator = States.Group("c_1", "a", ["b", "a", "c"]);
        var creatorGone = States.Group("c_1", "a", ["c", "b"]);

        Assert.Equal(["a"], withCreator.Admins.ToArray());
        Assert.Equal(["c"], creatorGone.Admins.ToArray());
        Assert.Empty(States.Direct("c_2", "a", "b").Admins);
    }

    [Fact]
    public async Task Append_in_a_direct_conversation_someone_blocks_is_forbidden_for_both_and_saves_nothing()
    {
        Given(States.Direct("c_1", "a", "b") with { BlockedBy = ["a"] });
        store.Setup(s => s.FindByClientMessageIdAsync("c_1", It.IsAny<string>(), "k1", It.IsAny<CancellationToken>())).ReturnsAsync((Message?)null);

        var byBlocked = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", new MessageDraft("b", "k1", "hi", null), None));
        var byBlocker = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", new MessageDraft("a", "k1", "hi", null), None));

        Assert.Equal(ErrorCodes.Forbidden, byBlocked.Code);
        Assert.Equal(ErrorCodes.Forbidden, byBlocker.Code);
        Assert.Contains("unblock", byBlocker.Message, StringComparison.Ordinal);
        store.Verify(s => s.SaveAppendedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Append_repeating_a_message_stored_before_the_block_returns_it()
    {
        Given(States.Direct("c_1", "a", "b", lastSeq: 1) with { BlockedBy = ["a"] });
        var stored = new Message("m_old", "c_1", 1, "b", "k1", "before", null, States.Created);
        store.Setup(s => s.FindByClientMessageIdAsync("c_1", "b", "k1", It.IsAny<CancellationToken>())).ReturnsAsync(stored);

        var outcome = await engine.AppendAsync("c_1", new MessageDraft("b", "k1", "before", null), None);

        Assert.True(outcome.Duplicate);
    }

    [Fact]
    public async Task SetBlock_sets_and_clears_the_flag_and_saves_only_changes()
    {
        var state = States.Direct("c_1", "a", "b");
        store.SetupSequence(s => s.LoadAsync("c_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(state)
            .ReturnsAsync(state with { BlockedBy = ["a"] })
            .ReturnsAsync(state with { BlockedBy = ["a"] })
            .ReturnsAsync(state);
        var saved = new List<ConversationState>();
        store.Setup(s => s.SaveBlocksAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, CancellationToken _) => saved.Add(st))
            .Returns(Task.CompletedTask);

        var blocked = await engine.SetBlockAsync("c_1", new BlockChange("a", true), None);
        var again = await engine.SetBlockAsync("c_1", new BlockChange("a", true), None);
        var unblocked = await engine.SetBlockAsync("c_1", new BlockChange("a", false), None);
        var unblockedAgain = await engine.SetBlockAsync("c_1", new BlockChange("a", false), None);

        Assert.True(blocked.IsBlocked);
        Assert.True(again.IsBlocked);
        Assert.False(unblocked.IsBlocked);
        Assert.False(unblockedAgain.IsBlocked);
        Assert.Equal(2, saved.Count);
        Assert.Equal(["a"], saved[0].BlockedBy.ToArray());
        Assert.Empty(saved[1].BlockedBy);
    }

    [Fact]
    public async Task SetBlock_keeps_the_flag_while_the_other_still_blocks()
    {
        Given(States.Direct("c_1", "a", "b") with { BlockedBy = ["a", "b"] });
        store.Setup(s => s.SaveBlocksAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var state = await engine.SetBlockAsync("c_1", new BlockChange("a", false), None);

        Assert.True(state.IsBlocked);
        Assert.Equal(["b"], state.BlockedBy.ToArray());
    }

    [Fact]
    public async Task SetBlock_on_a_group_is_a_bad_request()
    {
        Given(States.Group("c_1", "a", ["a", "b"]));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.SetBlockAsync("c_1", new BlockChange("a", true), None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
    }

    [Fact]
    public async Task AddMember_who_is_already_a_member_changes_nothing()
    {
        Given(States.Group("c_1", "a", ["a", "b"]));

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "b", MembershipAction.Add), 1024, None);

        Assert.False(outcome.Changed);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task AddMember_by_a_non_member_is_not_found()
    {
        Given(States.Group("c_1", "a", ["a", "b"]));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("mallory", "c", MembershipAction.Add), 1024, None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task AddMember_beyond_the_maximum_is_a_bad_request()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("a", "d", MembershipAction.Add), 3, None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task AddMember_up_to_the_maximum_is_accepted()
    {
        Given(States.Group("c_1", "a", ["a", "b"]));
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), "c", null, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "c", MembershipAction.Add), 3, None);

        Assert.Equal(3, outcome.State.MemberIds.Length);
    }

    [Fact]
    public async Task RemoveMember_by_a_member_who_is_not_an_admin_is_forbidden()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("b", "c", MembershipAction.Remove), 1024, None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task RemoveMember_by_the_admin_removes_the_member_and_their_cursor()
    {
        var state = States.Group("c_1", "a", ["a", "b", "c"], lastSeq: 5);
        Given(state with { Cursors = state.Cursors.SetItem("c", new Cursor(5, 4)) });
        ConversationState? saved = null;
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), null, "c", It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, string? _, string? _, CancellationToken _) => saved = st)
            .Returns(Task.CompletedTask);

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "c", MembershipAction.Remove), 1024, None);

        Assert.True(outcome.Changed);
        Assert.Equal(["a", "b"], saved!.MemberIds.ToArray());
        Assert.False(saved.Cursors.ContainsKey("c"));
    }

    [Fact]
    public async Task RemoveMember_of_oneself_is_allowed_for_any_member()
    {
        Given(States.Group("c_1", "a", ["a", "b", "c"]));
        store.Setup(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), null, "b", It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("b", "b", MembershipAction.Remove), 1024, None);

        Assert.True(outcome.Changed);
        Assert.Equal(["a", "c"], outcome.State.MemberIds.ToArray());
        store.Verify(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), null, "b", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RemoveMember_who_is_not_a_member_changes_nothing()
    {
        Given(States.Group("c_1", "a", ["a", "b"]));

        var outcome = await engine.ChangeMembersAsync("c_1", new MembershipChange("a", "zed", MembershipAction.Remove), 1024, None);

        Assert.False(outcome.Changed);
        VerifyNoMembershipSave();
    }

    [Fact]
    public async Task RemoveMember_from_a_direct_conversation_is_a_bad_request()
    {
        Given(States.Direct("c_1", "a", "b"));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.ChangeMembersAsync("c_1", new MembershipChange("a", "a", MembershipAction.Remove), 1024, None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        VerifyNoMembershipSave();
    }

    private void Given(ConversationState? state, string? id = null)
    {
        var conversationId = state is null ? id! : state.ConversationId;
        store.Setup(s => s.LoadAsync(conversationId, It.IsAny<CancellationToken>())).ReturnsAsync(state);
    }

    private void VerifyNoMembershipSave() =>
        store.Verify(s => s.SaveMembersAsync(It.IsAny<ConversationState>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
}
