using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Tests;

public sealed class DaprBlockStoreTests
{
    private readonly InMemoryDapr dapr = new();

    private DaprBlockStore Store() => new(new StateRecords(dapr.Client, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()));

    [Fact]
    public async Task A_block_is_added_once_removed_once_and_listed_in_the_order_blocked()
    {
        var store = Store();

        Assert.True(await store.AddAsync("u_a", "u_c", default));
        Assert.True(await store.AddAsync("u_a", "u_b", default));
        Assert.False(await store.AddAsync("u_a", "u_c", default));

        Assert.Equal(["u_c", "u_b"], await store.ListAsync("u_a", default));
        Assert.Equal(["u_c", "u_b"], dapr.Read<BlockList>(DaprNames.StateStore, StateKeys.UserBlocks("u_a"))!.Ids.ToArray());
        Assert.True(await store.RemoveAsync("u_a", "u_c", default));
        Assert.False(await store.RemoveAsync("u_a", "u_c", default));
        Assert.Equal(["u_b"], await store.ListAsync("u_a", default));
    }

    [Fact]
    public async Task Removing_the_last_block_deletes_the_record()
    {
        var store = Store();
        await store.AddAsync("u_a", "u_b", default);

        await store.RemoveAsync("u_a", "u_b", default);

        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.UserBlocks("u_a")));
        Assert.Empty(await store.ListAsync("u_a", default));
    }

    [Fact]
    public async Task Concurrent_blocks_by_one_user_all_land()
    {
        var store = Store();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.AddAsync("u_a", $"u_{i}", default))));

        Assert.Equal(8, (await store.ListAsync("u_a", default)).Count);
    }

    [Fact]
    public async Task FindBlockers_names_exactly_the_candidates_who_block_the_user()
    {
        var store = Store();
        await store.AddAsync("u_b", "u_a", default);
        await store.AddAsync("u_c", "u_a", default);
        await store.AddAsync("u_d", "u_x", default);

        Assert.Equal(["u_b", "u_c"], (await store.FindBlockersAsync(["u_b", "u_c", "u_d", "u_e"], "u_a", default)).Order(StringComparer.Ordinal));
        Assert.Equal(["u_b"], await store.FindBlockersAsync(["u_b"], "u_a", default));
        Assert.Empty(await store.FindBlockersAsync(["u_d"], "u_a", default));
        Assert.Empty(await store.FindBlockersAsync([], "u_a", default));
    }
}
