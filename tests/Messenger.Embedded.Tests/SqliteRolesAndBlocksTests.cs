using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Embedded.Owner;
using Messenger.Embedded.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Embedded.Tests;

/// <summary>Group roles and the block flag in the conversation state, the block list, and databases made before them.</summary>
public sealed class SqliteRolesAndBlocksTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase temp = new();
    private readonly FakeTimeProvider time = new(Stores.Start);

    public Task InitializeAsync() => temp.InitializeAsync();

    public Task DisposeAsync() => temp.DisposeAsync();

    [Fact]
    public async Task Admins_saved_at_creation_and_on_promotion_are_read_back_from_the_database()
    {
        var stores = new Stores(temp.Database);
        var group = Group("c_g", "u_a", ["u_a", "u_b", "u_c"]) with { AdminIds = ["u_a"] };
        await stores.States.SaveCreatedAsync(group, None);

        Assert.Equal(["u_a"], (await new SqliteConversationStateStore(temp.Database).LoadAsync("c_g", None))!.AdminIds.ToArray());

        await stores.States.SaveMembersAsync(group with { AdminIds = ["u_a", "u_c"] }, null, null, None);
        var reopened = new Stores(await temp.ReopenAsync());
        var loaded = await reopened.States.LoadAsync("c_g", None);

        Assert.Equal(["u_a", "u_c"], loaded!.AdminIds.ToArray());
        Assert.Equal(MemberRole.Member, loaded.RoleOf("u_b"));
    }

    [Fact]
    public async Task The_successor_of_a_leaving_last_admin_is_stored()
    {
        var stores = new Stores(temp.Database);
        var owner = new SerialConversationOwner(new ConversationEngine(stores.States, time, new ChatOptions()), new ChatOptions());
        await owner.CreateAsync(Group("c_g", "u_a", ["u_a", "u_b", "u_c"]) with { AdminIds = ["u_a"] }, None);

        await owner.ChangeMembersAsync("c_g", new MembershipChange("u_a", "u_a", MembershipAction.Remove), None);
        var loaded = await new SqliteConversationStateStore(temp.Database).LoadAsync("c_g", None);

        Assert.Equal(["u_b", "u_c"], loaded!.MemberIds.ToArray());
        Assert.Equal(["u_b"], loaded.AdminIds.ToArray());
    }

    [Fact]
    public async Task The_block_flag_is_stored_read_back_and_cleared()
    {
        var stores = new Stores(temp.Database);
        var direct = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);

        await stores.States.SaveBlocksAsync(direct with { BlockedBy = ["u_b"] }, None);
        var blocked = await new SqliteConversationStateStore(temp.Database).LoadAsync("c_d", None);
        await stores.States.SaveBlocksAsync(direct, None);
        var cleared = await new SqliteConversationStateStore(temp.Database).LoadAsync("c_d", None);

        Assert.Equal(["u_b"], blocked!.BlockedBy.ToArray());
        Assert.False(cleared!.IsBlocked);
    }

    [Fact]
    public async Task Sends_in_a_blocked_direct_conversation_are_refused_by_the_owner_until_the_unblock()
    {
        var stores = new Stores(temp.Database);
        var owner = new SerialConversationOwner(new ConversationEngine(stores.States, time, new ChatOptions()), new ChatOptions());
        await owner.CreateAsync(new ConversationState("c_d", ConversationType.Direct, null, "u_a", Stores.Start, ["u_a", "u_b"], 0, Stores.Start, ImmutableDictionary<string, Cursor>.Empty), None);

        await owner.SetBlockAsync("c_d", new BlockChange("u_a", true), None);
        var refused = await Assert.ThrowsAsync<ChatException>(() => owner.AppendAsync("c_d", new MessageDraft("u_b", "k1", "hi", null), None));
        await owner.SetBlockAsync("c_d", new BlockChange("u_a", false), None);
        var sent = await owner.AppendAsync("c_d", new MessageDraft("u_b", "k1", "hi", null), None);

        Assert.Equal(ErrorCodes.Forbidden, refused.Code);
        Assert.Equal(1, sent.Message.Seq);
        Assert.Equal(1, (await new SqliteConversationStateStore(temp.Database).LoadAsync("c_d", None))!.LastSeq);
    }

    [Fact]
    public async Task A_database_made_before_roles_and_blocks_gets_the_columns_and_its_groups_their_creator_as_admin()
    {
        await temp.Database.DisposeAsync();
        File.Delete(temp.Path);
        using (var old = new SqliteConnection($"Data Source={temp.Path};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE conversations(conversation_id TEXT PRIMARY KEY, type INTEGER NOT NULL, title TEXT, creator_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL, last_seq INTEGER NOT NULL, last_activity_at INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE members(conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, delivered_seq INTEGER NOT NULL DEFAULT 0,
                    read_seq INTEGER NOT NULL DEFAULT 0, UNIQUE(conversation_id, user_id));
                INSERT INTO conversations VALUES('c_old', 1, 'Old', 'u_b', 0, 0, 0);
                INSERT INTO conversations VALUES('c_gone', 1, 'Gone', 'u_x', 0, 0, 0);
                INSERT INTO members(conversation_id, user_id) VALUES('c_old', 'u_a'), ('c_old', 'u_b'), ('c_gone', 'u_c'), ('c_gone', 'u_d');
                """;
            command.ExecuteNonQuery();
        }

        var stores = new Stores(await temp.ReopenAsync());
        var old1 = await stores.States.LoadAsync("c_old", None);
        var old2 = await stores.States.LoadAsync("c_gone", None);

        Assert.Empty(old1!.AdminIds);
        Assert.Equal(["u_b"], old1.Admins.ToArray());
        Assert.Equal(["u_c"], old2!.Admins.ToArray());
        Assert.False(old1.IsBlocked);
    }

    [Fact]
    public async Task Block_list_adds_once_removes_once_and_lists_in_the_order_blocked()
    {
        var blocks = new SqliteBlockStore(temp.Database, time);

        Assert.True(await blocks.AddAsync("u_a", "u_c", None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await blocks.AddAsync("u_a", "u_b", None));
        Assert.False(await blocks.AddAsync("u_a", "u_c", None));

        Assert.Equal(["u_c", "u_b"], await blocks.ListAsync("u_a", None));
        Assert.Empty(await blocks.ListAsync("u_b", None));
        Assert.True(await blocks.RemoveAsync("u_a", "u_c", None));
        Assert.False(await blocks.RemoveAsync("u_a", "u_c", None));
        Assert.Equal(["u_b"], await blocks.ListAsync("u_a", None));
    }

    [Fact]
    public async Task FindBlockers_names_exactly_the_candidates_who_block_the_user_and_survives_a_restart()
    {
        var blocks = new SqliteBlockStore(temp.Database, time);
        await blocks.AddAsync("u_b", "u_a", None);
        await blocks.AddAsync("u_c", "u_a", None);
        await blocks.AddAsync("u_d", "u_x", None);

        var reopened = new SqliteBlockStore(await temp.ReopenAsync(), time);

        Assert.Equal(["u_b", "u_c"], (await reopened.FindBlockersAsync(["u_b", "u_c", "u_d", "u_e"], "u_a", None)).Order(StringComparer.Ordinal));
        Assert.Empty(await reopened.FindBlockersAsync(["u_a"], "u_b", None));
        Assert.Empty(await reopened.FindBlockersAsync([], "u_a", None));
    }

    [Fact]
    public async Task FindDirectPair_is_null_until_the_pair_is_claimed_then_the_claim_either_way_round()
    {
        var messages = new Stores(temp.Database).Messages;

        Assert.Null(await messages.FindDirectPairAsync("u_a", "u_b", None));
        await messages.ClaimDirectPairAsync("u_a", "u_b", "c_ab", None);

        Assert.Equal("c_ab", await messages.FindDirectPairAsync("u_b", "u_a", None));
    }

    private static ConversationState Group(string id, string creator, string[] members) =>
        new(id, ConversationType.Group, "Team", creator, Stores.Start, [.. members], 0, Stores.Start, ImmutableDictionary<string, Cursor>.Empty);
}
