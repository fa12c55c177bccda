using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Messenger.Core.Tests;

public sealed class ChatServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Mock<IConversationOwner> owner = new();
    private readonly Mock<IMessageStore> messages = new();
    private readonly Mock<IUserStore> users = new();
    private readonly Mock<IBlockStore> blocks = new();
    private readonly Mock<IMediaCatalog> media = new();
    private readonly Mock<IEventBus> bus = new();
    private readonly Mock<IPresenceDirectory> presence = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ChatService chat;

    public ChatServiceTests()
    {
        bus.Setup(b => b.PublishAsync(It.IsAny<string>(), It.IsAny<It.IsAnyType>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        presence.Setup(p => p.LocateAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, IReadOnlyCollection<string>>());
        users.Setup(u => u.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new User(id, id, "Name of " + id, "hash", States.Created));
        blocks.Setup(b => b.FindBlockersAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        chat = new ChatService(owner.Object, messages.Object, users.Object, blocks.Object, media.Object, bus.Object,
            new Router(presence.Object, bus.Object), time, new ChatOptions { MaxGroupMembers = 4 });
    }

    [Fact]
    public async Task Send_routes_the_message_to_each_gateway_holding_members_except_the_sending_connection()
    {
        var message = GivenAppend("c_1", ["a", "b", "c"], "a", "k1", seq: 5);
        Locate(("a", ["g1", "g2"]), ("b", ["g2"]), ("c", ["g3"]));

        var outcome = await SendAsync("a", "c_1", "k1", "hello", null, "conn-a1", None);

        Assert.Same(message, outcome.Message);
        var deliveries = Published<DeliveryRequested>().Where(p => p.Topic.StartsWith(Topics.GatewayPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(["gateway.g1", "gateway.g2", "gateway.g3"], deliveries.Select(d => d.Topic).Order(StringComparer.Ordinal));
        Assert.Equal(["a"], deliveries.Single(d => d.Topic == "gateway.g1").Event.UserIds);
        Assert.Equal(["a", "b"], deliveries.Single(d => d.Topic == "gateway.g2").Event.UserIds.Order(StringComparer.Ordinal));
        Assert.Equal(["c"], deliveries.Single(d => d.Topic == "gateway.g3").Event.UserIds);
        Assert.All(deliveries, d =>
        {
            Assert.Equal("conn-a1", d.Event.ExceptConnectionId);
            Assert.Same(message, Assert.IsType<MessageFrame>(d.Event.Frame).Message);
        });
        Assert.Empty(Published<PushRequested>());
    }

    [Fact]
    public async Task Append_stores_and_routes_nothing_until_the_fan_out()
    {
        GivenAppend("c_1", ["a", "b"], "a", "k1", seq: 1);
        Locate(("a", ["g1"]), ("b", ["g2"]));

        var outcome = await chat.AppendAsync("a", "c_1", "k1", "hello", null, null, None);

        Assert.Equal(1, outcome.Message.Seq);
        presence.Verify(p => p.LocateAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.DoesNotContain(bus.Invocations, i => i.Method.Name == nameof(IEventBus.PublishAsync));

        await chat.FanOutAsync(outcome, "conn-a1", None);

        Assert.Equal(["gateway.g1", "gateway.g2"], Published<DeliveryRequested>().Select(d => d.Topic).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fan_out_with_a_push_asks_the_owner_nothing_more()
    {
        GivenAppend("c_1", ["a", "b", "c"], "a", "k1", seq: 4, ConversationType.Group);
        Locate(("a", ["g1"]));

        await SendAsync("a", "c_1", "k1", "hello", null, "conn-a1", None);

        Assert.Equal(ConversationType.Group, Assert.Single(Published<PushRequested>()).Event.ConversationType);
        owner.Verify(o => o.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Gap_read_reads_the_range_page_by_page_and_asks_the_owner_nothing()
    {
        messages.Setup(m => m.GetRangeAsync("c_1", It.IsAny<long>(), It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, long from, long to, CancellationToken _) =>
                Enumerable.Range((int)from, (int)(to - from + 1)).Select(seq => new Message("m_" + seq, id, seq, "b", "k" + seq, "hi", null, States.Created)).ToList());

        var read = new List<long>();
        await foreach (var message in chat.ReadGapAsync("c_1", afterSeq: 2, beforeSeq: 9, pageSize: 4, None))
        {
            read.Add(message.Seq);
        }

        Assert.Equal([3L, 4, 5, 6, 7, 8], read);
        messages.Verify(m => m.GetRangeAsync("c_1", 3, 6, It.IsAny<CancellationToken>()), Times.Once);
        messages.Verify(m => m.GetRangeAsync("c_1", 7, 8, It.IsAny<CancellationToken>()), Times.Once);
        messages.Verify(m => m.GetMessagesAsync(It.IsAny<string>(), It.IsAny<HistoryQuery>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(owner.Invocations);
    }

    [Fact]
    public async Task Send_requests_a_push_for_members_connected_nowhere()
    {
        var message = GivenAppend("c_1", ["a", "b", "c", "d"], "a", "k1", seq: 9, ConversationType.Group);
        Locate(("a", ["g1"]), ("b", ["g1"]));

        await SendAsync("a", "c_1", "k1", "hello", null, "conn-a1", None);

        var push = Assert.Single(Published<PushRequested>());
        Assert.Equal(Topics.PushRequests, push.Topic);
        Assert.Equal(["c", "d"], push.Event.UserIds.Order(StringComparer.Ordinal));
        Assert.Equal("c_1", push.Event.ConversationId);
        Assert.Equal(ConversationType.Group, push.Event.ConversationType);
        Assert.Equal("a", push.Event.SenderId);
        Assert.Equal("Name of a", push.Event.SenderDisplayName);
        Assert.Equal(message.MessageId, push.Event.MessageId);
        Assert.Equal(9, push.Event.Seq);
        Assert.Equal("hello", push.Event.Text);
    }

    [Fact]
    public async Task Send_by_a_sender_connected_nowhere_does_not_push_to_the_sender()
    {
        GivenAppend("c_1", ["a", "b"], "a", "k1", seq: 1);

        await SendAsync("a", "c_1", "k1", "hello over http", null, null, None);

        var push = Assert.Single(Published<PushRequested>());
        Assert.Equal(["b"], push.Event.UserIds);
    }

    [Fact]
    public async Task Send_with_repeated_client_id_routes_nothing_and_pushes_nothing()
    {
        var stored = new Message("m_1", "c_1", 3, "a", "k1", "hello", null, States.Created);
        owner.Setup(o => o.AppendAsync("c_1", It.IsAny<MessageDraft>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AppendOutcome(stored, Duplicate: true, ["a", "b"], ConversationType.Direct, null));
        Locate(("a", ["g1"]), ("b", ["g1"]));

        var outcome = await SendAsync("a", "c_1", "k1", "hello", null, "conn-a1", None);

        Assert.True(outcome.Duplicate);
        Assert.Same(stored, outcome.Message);
        Assert.DoesNotContain(bus.Invocations, i => i.Method.Name == nameof(IEventBus.PublishAsync));
    }

    [Fact]
    public async Task Send_with_text_too_large_is_refused_before_the_owner_is_asked()
    {
        var e = await Assert.ThrowsAsync<ChatException>(() => SendAsync("a", "c_1", "k1", new string('x', 4097), null, null, None));

        Assert.Equal(ErrorCodes.TooLarge, e.Code);
        owner.Verify(o => o.AppendAsync(It.IsAny<string>(), It.IsAny<MessageDraft>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Send_with_media_the_sender_cannot_attach_is_not_found()
    {
        media.Setup(m => m.FindAttachableAsync("md_1", "a", It.IsAny<CancellationToken>())).ReturnsAsync((MediaInfo?)null);

        var e = await Assert.ThrowsAsync<ChatException>(() => SendAsync("a", "c_1", "k1", null, "md_1", null, None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        owner.Verify(o => o.AppendAsync(It.IsAny<string>(), It.IsAny<MessageDraft>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Send_with_attachable_media_records_it_for_the_conversation_and_hands_it_to_the_owner()
    {
        var info = new MediaInfo("md_1", "image/png", 100, 10, 10, null);
        media.Setup(m => m.FindAttachableAsync("md_1", "a", It.IsAny<CancellationToken>())).ReturnsAsync(info);
        owner.Setup(o => o.GetAsync("c_1", It.IsAny<CancellationToken>())).ReturnsAsync(States.Direct("c_1", "a", "b"));
        GivenAppend("c_1", ["a", "b"], "a", "k1", seq: 1);

        await SendAsync("a", "c_1", "k1", null, "md_1", null, None);

        media.Verify(m => m.RecordAttachedAsync("md_1", "c_1", It.IsAny<CancellationToken>()), Times.Once);
        owner.Verify(o => o.AppendAsync("c_1", It.Is<MessageDraft>(d => d.Media == info && d.SenderId == "a" && d.ClientMessageId == "k1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Send_with_media_to_a_conversation_the_sender_is_not_in_is_not_found_and_records_nothing()
    {
        var info = new MediaInfo("md_1", "image/png", 100, 10, 10, null);
        media.Setup(m => m.FindAttachableAsync("md_1", "mallory", It.IsAny<CancellationToken>())).ReturnsAsync(info);
        owner.Setup(o => o.GetAsync("c_1", It.IsAny<CancellationToken>())).ReturnsAsync(States.Direct("c_1", "a", "b"));

        var e = await Assert.ThrowsAsync<ChatException>(() => SendAsync("mallory", "c_1", "k1", null, "md_1", null, None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        media.Verify(m => m.RecordAttachedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        owner.Verify(o => o.AppendAsync(It.IsAny<string>(), It.IsAny<MessageDraft>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Typing_goes_to_the_other_members_only()
    {
        owner.Setup(o => o.GetAsync("c_1", It.IsAny<CancellationToken>())).ReturnsAsync(States.Group("c_1", "a", ["a", "b", "c"]));
        Locate(("a", ["g1"]), ("b", ["g1"]), ("c", ["g2"]));

        await chat.TypingAsync("a", "c_1", None);

        var deliveries = Published<DeliveryRequested>();
        Assert.Equal(["b"], deliveries.Single(d => d.Topic == "gateway.g1").Event.UserIds);
        Assert.Equal(["c"], deliveries.Single(d => d.Topic == "gateway.g2").Event.UserIds);
        Assert.All(deliveries, d => Assert.Equal(new TypingFrame("c_1", "a"), d.Event.Frame));
        presence.Verify(p => p.LocateAsync(It.Is<IReadOnlyCollection<string>>(ids => !ids.Contains("a")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Typing_by_a_non_member_is_not_found_and_sends_nothing()
    {
        owner.Setup(o => o.GetAsync("c_1", It.IsAny<CancellationToken>())).ReturnsAsync(States.Group("c_1", "a", ["a", "b"]));
        Locate(("a", ["g1"]), ("b", ["g1"]));

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.TypingAsync("mallory", "c_1", None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Empty(Published<DeliveryRequested>());
    }

    [Fact]
    public async Task Mark_sends_a_receipt_to_the_other_members()
    {
        owner.Setup(o => o.AdvanceCursorAsync("c_1", new CursorMove("b", null, 4), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CursorOutcome(new Cursor(4, 4), Changed: true, ["a", "b"]));
        Locate(("a", ["g1"]), ("b", ["g1"]));

        var cursor = await chat.MarkAsync("b", "c_1", null, 4, None);

        Assert.Equal(new Cursor(4, 4), cursor);
        var delivery = Assert.Single(Published<DeliveryRequested>());
        Assert.Equal(["a"], delivery.Event.UserIds);
        Assert.Equal(new ReceiptFrame("c_1", "b", 4, 4), delivery.Event.Frame);
    }

    [Fact]
    public async Task Mark_that_moves_nothing_sends_no_receipt()
    {
        owner.Setup(o => o.AdvanceCursorAsync("c_1", It.IsAny<CursorMove>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CursorOutcome(new Cursor(4, 4), Changed: false, ["a", "b"]));
        Locate(("a", ["g1"]), ("b", ["g1"]));

        await chat.MarkAsync("b", "c_1", 2, 2, None);

        Assert.Empty(Published<DeliveryRequested>());
    }

    [Fact]
    public async Task RemoveMember_tells_the_removed_member_and_the_rest()
    {
        owner.Setup(o => o.ChangeMembersAsync("c_1", new MembershipChange("a", "c", MembershipAction.Remove), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MembershipOutcome(States.Group("c_1", "a", ["a", "b"]), Changed: true));
        Locate(("a", ["g1"]), ("b", ["g1"]), ("c", ["g2"]));

        await chat.RemoveMemberAsync("a", "c_1", "c", None);

        var deliveries = Published<DeliveryRequested>();
        var removed = deliveries.Single(d => d.Topic == "gateway.g2");
        Assert.Equal(["c"], removed.Event.UserIds);
        Assert.Equal(new ConversationRemovedFrame("c_1"), removed.Event.Frame);
        var announced = deliveries.Single(d => d.Topic == "gateway.g1");
        Assert.Equal(["a", "b"], announced.Event.UserIds);
        Assert.Equal(["a", "b"], Assert.IsType<ConversationFrame>(announced.Event.Frame).Conversation.MemberIds);
    }

    [Fact]
    public async Task CreateConversation_direct_naming_two_others_is_a_bad_request()
    {
        users.Setup(u => u.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => ids.Select(id => new User(id, id, id, "h", States.Created)).ToList());

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.CreateConversationAsync("a", ConversationType.Direct, null, ["b", "c"], None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        messages.Verify(m => m.ClaimDirectPairAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateConversation_naming_an_unknown_user_is_not_found()
    {
        users.Setup(u => u.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.CreateConversationAsync("a", ConversationType.Group, "t", ["ghost"], None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        owner.Verify(o => o.CreateAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateConversation_group_larger_than_the_maximum_is_a_bad_request()
    {
        users.Setup(u => u.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => ids.Select(id => new User(id, id, id, "h", States.Created)).ToList());

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.CreateConversationAsync("a", ConversationType.Group, "t", ["b", "c", "d", "e"], None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        owner.Verify(o => o.CreateAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateConversation_direct_for_a_claimed_pair_returns_the_existing_conversation()
    {
        users.Setup(u => u.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => ids.Select(id => new User(id, id, id, "h", States.Created)).ToList());
        var existing = States.Direct("c_existing", "b", "a", lastSeq: 2);
        messages.Setup(m => m.ClaimDirectPairAsync("a", "b", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync("c_existing");
        owner.Setup(o => o.CreateAsync(It.Is<ConversationState>(s => s.ConversationId == "c_existing"), It.IsAny<CancellationToken>())).ReturnsAsync(existing);
        messages.Setup(m => m.GetSummaryAsync("c_existing", "a", It.IsAny<CancellationToken>())).ReturnsAsync(new ConversationSummary(existing, null, 1));

        var (conversation, created) = await chat.CreateConversationAsync("a", ConversationType.Direct, null, ["b", "a"], None);

        Assert.False(created);
        Assert.Equal("c_existing", conversation.ConversationId);
        Assert.Equal(1, conversation.UnreadCount);
        Assert.Empty(Published<DeliveryRequested>());
    }

    [Fact]
    public async Task CreateConversation_direct_with_someone_who_blocks_the_caller_is_forbidden_and_claims_nothing()
    {
        GivenUsersExist();
        blocks.Setup(b => b.FindBlockersAsync(It.Is<IReadOnlyCollection<string>>(c => c.Count == 1 && c.Contains("b")), "a", It.IsAny<CancellationToken>())).ReturnsAsync(["b"]);

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.CreateConversationAsync("a", ConversationType.Direct, null, ["b"], None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        messages.Verify(m => m.ClaimDirectPairAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        owner.Verify(o => o.CreateAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateConversation_direct_by_the_blocker_creates_it_with_the_flag_set()
    {
        GivenUsersExist();
        blocks.Setup(b => b.FindBlockersAsync(It.Is<IReadOnlyCollection<string>>(c => c.Count == 1 && c.Contains("a")), "b", It.IsAny<CancellationToken>())).ReturnsAsync(["a"]);
        messages.Setup(m => m.ClaimDirectPairAsync("a", "b", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string _, string candidate, CancellationToken _) => candidate);
        ConversationState? initial = null;
        owner.Setup(o => o.CreateAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, CancellationToken _) => initial = st)
            .ReturnsAsync((ConversationState st, CancellationToken _) => st);

        await chat.CreateConversationAsync("a", ConversationType.Direct, null, ["b"], None);

        Assert.Equal(["a"], initial!.BlockedBy.ToArray());
        owner.Verify(o => o.SetBlockAsync(It.IsAny<string>(), It.IsAny<BlockChange>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateConversation_direct_whose_block_came_while_it_was_created_gets_the_flag_from_the_list()
    {
        GivenUsersExist();
        messages.Setup(m => m.ClaimDirectPairAsync("a", "b", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string _, string candidate, CancellationToken _) => candidate);
        owner.Setup(o => o.CreateAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ConversationState st, CancellationToken _) => st);

        // b's block lands after the check before the claim, and before the check after the creation.
        blocks.SetupSequence(b => b.FindBlockersAsync(It.Is<IReadOnlyCollection<string>>(c => c.Count == 1 && c.Contains("b")), "a", It.IsAny<CancellationToken>()))
            .ReturnsAsync([])
            .ReturnsAsync(["b"]);
        owner.Setup(o => o.SetBlockAsync(It.IsAny<string>(), new BlockChange("b", true), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, BlockChange _, CancellationToken _) => States.Direct(id, "a", "b") with { BlockedBy = ["b"] });

        await chat.CreateConversationAsync("a", ConversationType.Direct, null, ["b"], None);

        owner.Verify(o => o.SetBlockAsync(It.IsAny<string>(), new BlockChange("b", true), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CreateConversation_group_makes_the_creator_its_admin()
    {
        GivenUsersExist();
        ConversationState? initial = null;
        owner.Setup(o => o.CreateAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, CancellationToken _) => initial = st)
            .ReturnsAsync((ConversationState st, CancellationToken _) => st);

        var (conversation, _) = await chat.CreateConversationAsync("a", ConversationType.Group, "t", ["b", "c"], None);

        Assert.Equal(["a"], initial!.AdminIds.ToArray());
        Assert.Equal([new MemberDto("a", MemberRole.Admin), new MemberDto("b", MemberRole.Member), new MemberDto("c", MemberRole.Member)], conversation.Members);
    }

    [Fact]
    public async Task CreateConversation_group_naming_someone_who_blocks_the_creator_is_forbidden()
    {
        GivenUsersExist();
        blocks.Setup(b => b.FindBlockersAsync(It.IsAny<IReadOnlyCollection<string>>(), "a", It.IsAny<CancellationToken>())).ReturnsAsync(["c"]);

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.CreateConversationAsync("a", ConversationType.Group, "t", ["b", "c"], None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        owner.Verify(o => o.CreateAsync(It.IsAny<ConversationState>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AddMember_of_someone_who_blocks_the_adder_is_forbidden_and_reaches_no_owner()
    {
        GivenUsersExist();
        blocks.Setup(b => b.FindBlockersAsync(It.IsAny<IReadOnlyCollection<string>>(), "a", It.IsAny<CancellationToken>())).ReturnsAsync(["c"]);

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.AddMemberAsync("a", "c_1", "c", None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        owner.Verify(o => o.ChangeMembersAsync(It.IsAny<string>(), It.IsAny<MembershipChange>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Promote_tells_every_member_the_new_roles()
    {
        var after = States.Group("c_1", "a", ["a", "b"]) with { AdminIds = ["a", "b"] };
        owner.Setup(o => o.ChangeMembersAsync("c_1", new MembershipChange("a", "b", MembershipAction.Promote), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MembershipOutcome(after, Changed: true));
        Locate(("a", ["g1"]), ("b", ["g1"]));

        await chat.PromoteAsync("a", "c_1", "b", None);

        var frame = Assert.IsType<ConversationFrame>(Published<DeliveryRequested>().Single().Event.Frame);
        Assert.All(frame.Conversation.Members, m => Assert.Equal(MemberRole.Admin, m.Role));
    }

    [Fact]
    public async Task Typing_in_a_blocked_direct_conversation_is_forbidden_and_sends_nothing()
    {
        owner.Setup(o => o.GetAsync("c_1", It.IsAny<CancellationToken>())).ReturnsAsync(States.Direct("c_1", "a", "b") with { BlockedBy = ["b"] });

        var e = await Assert.ThrowsAsync<ChatException>(() => chat.TypingAsync("a", "c_1", None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        Assert.Empty(Published<DeliveryRequested>());
    }

    private void GivenUsersExist() =>
        users.Setup(u => u.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => ids.Select(id => new User(id, id, id, "hash", States.Created)).ToList());

    /// <summary>What a WebSocket or HTTP send does: the append, then (after the sender's answer) the fan-out.</summary>
    private async Task<AppendOutcome> SendAsync(
        string userId, string conversationId, string? clientMessageId, string? text, string? mediaId, string? exceptConnectionId, CancellationToken cancellationToken)
    {
        var outcome = await chat.AppendAsync(userId, conversationId, clientMessageId, text, mediaId, null, cancellationToken);
        await chat.FanOutAsync(outcome, exceptConnectionId, cancellationToken);
        return outcome;
    }

    private Message GivenAppend(
        string conversationId, ImmutableArray<string> members, string sender, string clientId, long seq, ConversationType type = ConversationType.Direct)
    {
        var message = new Message("m_" + seq, conversationId, seq, sender, clientId, "hello", null, time.GetUtcNow());
        owner.Setup(o => o.AppendAsync(conversationId, It.Is<MessageDraft>(d => d.SenderId == sender && d.ClientMessageId == clientId), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AppendOutcome(message, Duplicate: false, members, type, null));
        return message;
    }

    private void Locate(params (string User, string[] Gateways)[] entries) =>
        presence.Setup(p => p.LocateAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => entries
                .Where(e => ids.Contains(e.User))
                .ToDictionary(e => e.User, e => (IReadOnlyCollection<string>)e.Gateways, StringComparer.Ordinal));

    private List<(string Topic, T Event)> Published<T>() =>
        bus.Invocations
            .Where(i => i.Method.Name == nameof(IEventBus.PublishAsync) && i.Arguments[1] is T)
            .Select(i => ((string)i.Arguments[0], (T)i.Arguments[1]))
            .ToList();
}
