using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Core.Services;
using Moq;

namespace Messenger.Core.Tests;

public sealed class BlockServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Mock<IBlockStore> blocks = new(MockBehavior.Strict);
    private readonly Mock<IUserStore> users = new();
    private readonly Mock<IMessageStore> messages = new();
    private readonly Mock<IConversationOwner> owner = new(MockBehavior.Strict);
    private readonly BlockService service;

    public BlockServiceTests()
    {
        users.Setup(u => u.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => id.StartsWith("u_ghost", StringComparison.Ordinal) ? null : new User(id, id, id, "hash", States.Created));
        service = new BlockService(blocks.Object, users.Object, messages.Object, owner.Object);
    }

    [Fact]
    public async Task Block_records_it_then_sets_the_flag_on_the_pairs_direct_conversation_through_its_owner()
    {
        var order = new List<string>();
        blocks.Setup(b => b.AddAsync("u_a", "u_b", None)).Callback(() => order.Add("list")).ReturnsAsync(true);
        messages.Setup(m => m.FindDirectPairAsync("u_a", "u_b", None)).ReturnsAsync("c_ab");
        owner.Setup(o => o.SetBlockAsync("c_ab", new BlockChange("u_a", true), None)).Callback(() => order.Add("flag"))
            .ReturnsAsync(States.Direct("c_ab", "u_a", "u_b") with { BlockedBy = ["u_a"] });

        await service.BlockAsync("u_a", "u_b", None);

        Assert.Equal(["list", "flag"], order);
    }

    [Fact]
    public async Task Unblock_forgets_it_and_clears_the_flag()
    {
        blocks.Setup(b => b.RemoveAsync("u_a", "u_b", None)).ReturnsAsync(true);
        messages.Setup(m => m.FindDirectPairAsync("u_a", "u_b", None)).ReturnsAsync("c_ab");
        owner.Setup(o => o.SetBlockAsync("c_ab", new BlockChange("u_a", false), None)).ReturnsAsync(States.Direct("c_ab", "u_a", "u_b"));

        await service.UnblockAsync("u_a", "u_b", None);

        owner.Verify(o => o.SetBlockAsync("c_ab", new BlockChange("u_a", false), None), Times.Once);
    }

    [Fact]
    public async Task Block_without_a_direct_conversation_only_records_it()
    {
        blocks.Setup(b => b.AddAsync("u_a", "u_b", None)).ReturnsAsync(true);
        messages.Setup(m => m.FindDirectPairAsync("u_a", "u_b", None)).ReturnsAsync((string?)null);

        await service.BlockAsync("u_a", "u_b", None);

        blocks.Verify(b => b.AddAsync("u_a", "u_b", None), Times.Once);
    }

    [Fact]
    public async Task Block_of_a_pair_claimed_but_not_yet_created_succeeds()
    {
        blocks.Setup(b => b.AddAsync("u_a", "u_b", None)).ReturnsAsync(true);
        messages.Setup(m => m.FindDirectPairAsync("u_a", "u_b", None)).ReturnsAsync("c_ab");
        owner.Setup(o => o.SetBlockAsync("c_ab", It.IsAny<BlockChange>(), None)).ThrowsAsync(ChatException.NotFound("Conversation not found."));

        await service.BlockAsync("u_a", "u_b", None);

        blocks.Verify(b => b.AddAsync("u_a", "u_b", None), Times.Once);
    }

    [Fact]
    public async Task Block_of_oneself_is_a_bad_request_and_records_nothing()
    {
        var e = await Assert.ThrowsAsync<ChatException>(() => service.BlockAsync("u_a", "u_a", None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
    }

    [Fact]
    public async Task Block_of_an_unknown_user_is_not_found_and_records_nothing()
    {
        var e = await Assert.ThrowsAsync<ChatException>(() => service.BlockAsync("u_a", "u_ghost", None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
    }

    [Fact]
    public async Task Block_of_a_malformed_id_is_a_bad_request()
    {
        var e = await Assert.ThrowsAsync<ChatException>(() => service.BlockAsync("u_a", "not an id!", None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
    }

    [Fact]
    public async Task List_gives_the_blocked_users_in_the_order_they_were_blocked()
    {
        blocks.Setup(b => b.ListAsync("u_a", None)).ReturnsAsync(["u_c", "u_b"]);
        users.Setup(u => u.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), None))
            .ReturnsAsync([new User("u_b", "bob", "Bob", "h", States.Created), new User("u_c", "carol", "Carol", "h", States.Created)]);

        var blocked = await service.ListAsync("u_a", None);

        Assert.Equal(["u_c", "u_b"], blocked.Select(u => u.UserId));
    }
}
