using Messenger.Core.Domain;
using Messenger.Core.Services;
using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class SqliteConversationStoreTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase temp = new();
    private Stores stores = null!;

    public async Task InitializeAsync()
    {
        await temp.InitializeAsync();
        stores = new Stores(temp.Database);
    }

    public Task DisposeAsync() => temp.DisposeAsync();

    /// <summary>A state store with nothing cached, so every load reads the database.</summary>
    private SqliteConversationStateStore Fresh => new(temp.Database);

    [Fact]
    public async Task SaveCreated_stores_the_conversation_as_given()
    {
        await stores.CreateAsync("c_g", ConversationType.Group, "u_a", ["u_a", "u_b", "u_c"], title: "Team");

        var loaded = await Fresh.LoadAsync("c_g", None);

        Assert.NotNull(loaded);
        Assert.Equal(ConversationType.Group, loaded.Type);
        Assert.Equal("Team", loaded.Title);
        Assert.Equal("u_a", loaded.CreatorId);
        Assert.Equal(Stores.Start, loaded.CreatedAt);
        Assert.Equal(Stores.Start, loaded.LastActivityAt);
        Assert.Equal(["u_a", "u_b", "u_c"], loaded.MemberIds.ToArray());
        Assert.Equal(0, loaded.LastSeq);
        Assert.Empty(loaded.Cursors);
    }

    [Fact]
    public async Task Load_of_an_unknown_conversation_is_null()
    {
        Assert.Null(await stores.States.LoadAsync("c_nope", None));
        Assert.Null(await Fresh.LoadAsync("c_nope", None));
    }

    [Fact]
    public async Task SaveAppended_stores_the_message_and_the_new_head_together()
    {
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);

        var (next, message) = await stores.AppendAsync(state, "u_b");

        var loaded = await Fresh.LoadAsync("c_d", None);
        Assert.Equal(1, loaded!.LastSeq);
        Assert.Equal(next.LastActivityAt, loaded.LastActivityAt);
        Assert.Equal(message, await Fresh.FindByClientMessageIdAsync("c_d", "u_b", "k1", None));
        Assert.Equal([message], await stores.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None));
    }

    [Fact]
    public async Task FindByClientMessageId_is_per_sender_per_conversation()
    {
        var one = await stores.CreateAsync("c_1", ConversationType.Group, "u_a", ["u_a", "u_b"]);
        await stores.CreateAsync("c_2", ConversationType.Group, "u_a", ["u_a", "u_b"]);
        await stores.AppendAsync(one, "u_a");

        Assert.NotNull(await stores.States.FindByClientMessageIdAsync("c_1", "u_a", "k1", None));
        Assert.Null(await stores.States.FindByClientMessageIdAsync("c_1", "u_b", "k1", None));
        Assert.Null(await stores.States.FindByClientMessageIdAsync("c_2", "u_a", "k1", None));
    }

    [Fact]
    public async Task SaveAppended_of_a_taken_seq_fails_and_changes_nothing()
    {
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        var (_, first) = await stores.AppendAsync(state, "u_a");
        var clash = first with { MessageId = "m_other", ClientMessageId = "other", Text = "clash" };

        await Assert.ThrowsAnyAsync<Exception>(() => stores.States.SaveAppendedAsync(state with { LastSeq = 1 }, clash, None));

        var history = await stores.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None);
        Assert.Equal([first], history);
    }

    [Fact]
    public async Task SaveCursor_is_kept()
    {
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        state = await stores.AppendManyAsync(state, "u_a", 5);

        await stores.SetCursorAsync(state, "u_b", new Cursor(5, 3));

        var loaded = await Fresh.LoadAsync("c_d", None);
        Assert.Equal(new Cursor(5, 3), loaded!.CursorOf("u_b"));
        Assert.Equal(Cursor.Zero, loaded.CursorOf("u_a"));
    }

    [Fact]
    public async Task SaveMembers_adds_and_removes_members()
    {
        var state = await stores.CreateAsync("c_g", ConversationType.Group, "u_a", ["u_a", "u_b"]);
        state = await stores.SetCursorAsync(state, "u_b", Cursor.Zero);

        var added = state with { MemberIds = state.MemberIds.Add("u_c") };
        await stores.States.SaveMembersAsync(added, "u_c", null, None);
        Assert.Equal(["u_a", "u_b", "u_c"], (await Fresh.LoadAsync("c_g", None))!.MemberIds.ToArray());

        var removed = added with { MemberIds = added.MemberIds.Remove("u_b") };
        await stores.States.SaveMembersAsync(removed, null, "u_b", None);
        var loaded = await Fresh.LoadAsync("c_g", None);
        Assert.Equal(["u_a", "u_c"], loaded!.MemberIds.ToArray());
        Assert.Equal(["c_g"], await stores.Messages.GetConversationIdsAsync("u_c", None));
        Assert.Empty(await stores.Messages.GetConversationIdsAsync("u_b", None));
    }

    [Fact]
    public async Task A_member_removed_and_added_again_starts_with_fresh_cursors()
    {
        var state = await stores.CreateAsync("c_g", ConversationType.Group, "u_a", ["u_a", "u_b"]);
        state = await stores.AppendManyAsync(state, "u_a", 3);
        state = await stores.SetCursorAsync(state, "u_b", new Cursor(3, 3));
        var removed = state with { MemberIds = state.MemberIds.Remove("u_b"), Cursors = state.Cursors.Remove("u_b") };
        await stores.States.SaveMembersAsync(removed, null, "u_b", None);

        await stores.States.SaveMembersAsync(removed with { MemberIds = removed.MemberIds.Add("u_b") }, "u_b", null, None);

        Assert.Equal(Cursor.Zero, (await Fresh.LoadAsync("c_g", None))!.CursorOf("u_b"));
    }

    [Fact]
    public async Task GetMessages_with_no_cursor_returns_the_newest_limit_ascending()
    {
        await stores.AppendManyAsync(await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]), "u_a", 10);

        Assert.Equal([8, 9, 10], await SeqsAsync("c_1", null, null, 3));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), await SeqsAsync("c_1", null, null, null));
    }

    [Fact]
    public async Task GetMessages_before_a_seq_returns_the_limit_just_before_it_ascending()
    {
        await stores.AppendManyAsync(await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]), "u_a", 10);

        Assert.Equal([2, 3, 4], await SeqsAsync("c_1", null, 5, 3));
        Assert.Equal([1], await SeqsAsync("c_1", null, 2, 3));
        Assert.Empty(await SeqsAsync("c_1", null, 1, 3));
        Assert.Equal([8, 9, 10], await SeqsAsync("c_1", null, 1000, 3));
    }

    [Fact]
    public async Task GetMessages_after_a_seq_returns_the_limit_just_after_it_ascending()
    {
        await stores.AppendManyAsync(await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]), "u_a", 10);

        Assert.Equal([6, 7, 8], await SeqsAsync("c_1", 5, null, 3));
        Assert.Equal([1, 2, 3], await SeqsAsync("c_1", 0, null, 3));
        Assert.Equal([9, 10], await SeqsAsync("c_1", 8, null, 50));
        Assert.Empty(await SeqsAsync("c_1", 10, null, 50));
    }

    [Fact]
    public async Task GetMessages_between_after_and_before_returns_the_range()
    {
        await stores.AppendManyAsync(await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]), "u_a", 10);

        Assert.Equal([3, 4, 5], await SeqsAsync("c_1", 2, 6, 50));
    }

    [Fact]
    public async Task GetMessages_clamps_the_limit_to_200()
    {
        await stores.AppendManyAsync(await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]), "u_a", 205);

        var page = await SeqsAsync("c_1", null, null, 1000);

        Assert.Equal(Enumerable.Range(6, 200).Select(i => (long)i), page);
    }

    [Fact]
    public async Task GetMessages_only_returns_the_conversations_own_messages()
    {
        await stores.AppendManyAsync(await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]), "u_a", 3);
        await stores.AppendManyAsync(await stores.CreateAsync("c_2", ConversationType.Direct, "u_a", ["u_a", "u_c"]), "u_c", 2);

        var page = await stores.Messages.GetMessagesAsync("c_2", HistoryQuery.Create(null, null, null), None);

        Assert.Equal(2, page.Count);
        Assert.All(page, m => Assert.Equal("c_2", m.ConversationId));
    }

    [Fact]
    public async Task ListConversations_orders_by_last_activity_newest_first()
    {
        var old = await stores.CreateAsync("c_old", ConversationType.Group, "u_a", ["u_a", "u_b"], Stores.Start);
        await stores.CreateAsync("c_mid", ConversationType.Group, "u_a", ["u_a", "u_c"], Stores.Start.AddMinutes(1));
        await stores.CreateAsync("c_new", ConversationType.Direct, "u_d", ["u_d", "u_a"], Stores.Start.AddMinutes(2));
        await stores.CreateAsync("c_not_mine", ConversationType.Direct, "u_b", ["u_b", "u_c"], Stores.Start.AddMinutes(3));

        Assert.Equal(["c_new", "c_mid", "c_old"], await ListedIdsAsync("u_a"));

        await stores.AppendAsync(old, "u_b", Stores.Start.AddMinutes(5));

        Assert.Equal(["c_old", "c_new", "c_mid"], await ListedIdsAsync("u_a"));
    }

    [Fact]
    public async Task ListConversations_counts_other_members_messages_above_the_read_cursor()
    {
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        (state, _) = await stores.AppendAsync(state, "u_b"); // 1
        (state, _) = await stores.AppendAsync(state, "u_a"); // 2
        (state, _) = await stores.AppendAsync(state, "u_b"); // 3
        (state, _) = await stores.AppendAsync(state, "u_b"); // 4
        Message last;
        (state, last) = await stores.AppendAsync(state, "u_a"); // 5
        state = await stores.SetCursorAsync(state, "u_a", new Cursor(3, 1));

        var forA = Assert.Single(await stores.Messages.ListConversationsAsync("u_a", None));
        var forB = Assert.Single(await stores.Messages.ListConversationsAsync("u_b", None));

        Assert.Equal(2, forA.UnreadCount);
        Assert.Equal(2, forB.UnreadCount);
        Assert.Equal(last, forA.LastMessage);
        Assert.Equal(5, forA.State.LastSeq);

        await stores.SetCursorAsync(state, "u_a", new Cursor(5, 5));

        Assert.Equal(0, Assert.Single(await stores.Messages.ListConversationsAsync("u_a", None)).UnreadCount);
    }

    [Fact]
    public async Task GetSummary_gives_one_conversation_as_the_list_does_and_nothing_to_a_non_member()
    {
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        await stores.CreateAsync("c_other", ConversationType.Direct, "u_a", ["u_a", "u_c"]);
        (state, _) = await stores.AppendAsync(state, "u_b");
        (_, var last) = await stores.AppendAsync(state, "u_b");

        var summary = await stores.Messages.GetSummaryAsync("c_d", "u_a", None);

        var listed = Assert.Single(await stores.Messages.ListConversationsAsync("u_a", None), s => s.State.ConversationId == "c_d");
        Assert.Equal((listed.LastMessage, listed.UnreadCount, listed.State.LastSeq), (summary!.LastMessage, summary.UnreadCount, summary.State.LastSeq));
        Assert.Equal(last, summary.LastMessage);
        Assert.Equal(2, summary.UnreadCount);
        Assert.Null(await stores.Messages.GetSummaryAsync("c_d", "u_c", None));
        Assert.Null(await stores.Messages.GetSummaryAsync("c_missing", "u_a", None));
    }

    [Fact]
    public async Task ListConversations_of_an_empty_conversation_has_no_last_message()
    {
        await stores.CreateAsync("c_g", ConversationType.Group, "u_a", ["u_a"], title: "Just me");

        var summary = Assert.Single(await stores.Messages.ListConversationsAsync("u_a", None));

        Assert.Null(summary.LastMessage);
        Assert.Equal(0, summary.UnreadCount);
        Assert.Equal("Just me", summary.State.Title);
    }

    [Fact]
    public async Task GetContactIds_names_everyone_sharing_a_conversation_once()
    {
        await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        await stores.CreateAsync("c_2", ConversationType.Group, "u_a", ["u_a", "u_b", "u_c"]);
        await stores.CreateAsync("c_3", ConversationType.Direct, "u_d", ["u_d", "u_e"]);

        Assert.Equal(["u_b", "u_c"], (await stores.Messages.GetContactIdsAsync("u_a", None)).Order(StringComparer.Ordinal));
        Assert.Equal(["u_a", "u_b"], (await stores.Messages.GetContactIdsAsync("u_c", None)).Order(StringComparer.Ordinal));
        Assert.Empty(await stores.Messages.GetContactIdsAsync("u_nobody", None));
    }

    [Fact]
    public async Task ClaimDirectPair_returns_the_first_claimants_id_for_both_orders_of_the_pair()
    {
        Assert.Equal("c_first", await stores.Messages.ClaimDirectPairAsync("u_a", "u_b", "c_first", None));
        Assert.Equal("c_first", await stores.Messages.ClaimDirectPairAsync("u_b", "u_a", "c_second", None));
        Assert.Equal("c_first", await stores.Messages.ClaimDirectPairAsync("u_a", "u_b", "c_third", None));
        Assert.Equal("c_other", await stores.Messages.ClaimDirectPairAsync("u_a", "u_c", "c_other", None));
    }

    [Fact]
    public async Task ClaimDirectPair_raced_from_both_sides_agrees_on_one_id()
    {
        var claims = Enumerable.Range(0, 20)
            .Select(i => i % 2 == 0
                ? stores.Messages.ClaimDirectPairAsync("u_a", "u_b", $"c_{i}", None)
                : stores.Messages.ClaimDirectPairAsync("u_b", "u_a", $"c_{i}", None));

        var ids = await Task.WhenAll(claims);

        Assert.Single(ids.Distinct());
    }

    private async Task<IEnumerable<long>> SeqsAsync(string conversationId, long? after, long? before, int? limit) =>
        (await stores.Messages.GetMessagesAsync(conversationId, HistoryQuery.Create(after, before, limit), None)).Select(m => m.Seq);

    private async Task<IEnumerable<string>> ListedIdsAsync(string userId) =>
        (await stores.Messages.ListConversationsAsync(userId, None)).Select(s => s.State.ConversationId);
}
