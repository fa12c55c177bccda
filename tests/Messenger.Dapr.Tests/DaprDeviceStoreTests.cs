using Messenger.Core.Domain;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Tests;

public sealed class DaprDeviceStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();

    private DaprDeviceStore Store() => new(new StateRecords(dapr.Client, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()));

    [Fact]
    public async Task A_token_registered_by_another_user_moves_to_them()
    {
        var store = Store();
        await store.UpsertAsync(new Device("tok:1", "u_a", DevicePlatform.Android, Now), default);

        await store.UpsertAsync(new Device("tok:1", "u_b", DevicePlatform.Ios, Now.AddMinutes(1)), default);

        Assert.Empty(await store.ListAsync("u_a", default));
        var moved = Assert.Single(await store.ListAsync("u_b", default));
        Assert.Equal(DevicePlatform.Ios, moved.Platform);
        Assert.True(dapr.Has(DaprNames.StateStore, StateKeys.Device("tok:1")));
        Assert.StartsWith("device:", StateKeys.Device("tok:1"), StringComparison.Ordinal);
        Assert.DoesNotContain("tok:1", StateKeys.Device("tok:1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_takes_only_the_callers_own_token_and_prune_takes_anyones()
    {
        var store = Store();
        await store.UpsertAsync(new Device("t1", "u_a", DevicePlatform.Web, Now), default);
        await store.UpsertAsync(new Device("t2", "u_a", DevicePlatform.Web, Now.AddSeconds(1)), default);

        await store.RemoveAsync("t1", "u_other", default);
        Assert.Equal(2, (await store.ListAsync("u_a", default)).Count);
        await store.RemoveAsync("t1", "u_a", default);
        await store.PruneAsync("t2", default);

        Assert.Empty(await store.ListAsync("u_a", default));
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Device("t2")));
    }
}
