using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Dapr.Tests;

public sealed class DaprUserStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();

    private DaprUserStore Store() => new(new StateRecords(dapr.Client, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()));

    [Fact]
    public async Task A_taken_username_is_refused_and_the_loser_leaves_no_user_behind()
    {
        var store = Store();

        Assert.True(await store.TryCreateAsync(new User("u_1", "alice", "Alice", "hash", Now), default));
        Assert.False(await store.TryCreateAsync(new User("u_2", "alice", "Other", "hash", Now), default));

        Assert.Equal("u_1", (await store.FindByUsernameAsync("alice", default))!.UserId);
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.User("u_2")));
    }

    [Fact]
    public async Task The_user_is_written_before_the_name_is_claimed()
    {
        var client = new Mock<DaprClient>(MockBehavior.Strict);
        var order = new List<string>();
        var user = new User("u_1", "bob", "Bob", "hash", Now);
        client.Setup(d => d.SaveStateAsync(DaprNames.StateStore, "user:u_1", user, null, null, default))
            .Callback(() => order.Add("user")).Returns(Task.CompletedTask);
        client.Setup(d => d.GetStateAndETagAsync<It.IsAnyType>(DaprNames.StateStore, "username:bob", ConsistencyMode.Strong, null, default))
            .Returns(new InvocationFunc(call => MockReplies.NothingStored(call.Method.GetGenericArguments()[0])));
        client.Setup(d => d.SaveStateAsync(DaprNames.StateStore, "username:bob", It.IsAny<It.IsAnyType>(), It.Is<StateOptions>(o => o.Concurrency == ConcurrencyMode.FirstWrite), null, default))
            .Callback(() => order.Add("username")).Returns(Task.CompletedTask);
        var store = new DaprUserStore(new StateRecords(client.Object, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()));

        Assert.True(await store.TryCreateAsync(user, default));
        Assert.Equal(["user", "username"], order);
    }

    [Fact]
    public async Task A_password_hash_is_replaced_only_while_it_is_the_one_given()
    {
        var store = Store();
        await store.TryCreateAsync(new User("u_1", "erin", "Erin", "old", Now), default);

        Assert.False(await store.ReplacePasswordHashAsync("u_1", "not-the-stored-one", "new", default));
        Assert.Equal("old", (await store.GetAsync("u_1", default))!.PasswordHash);
        Assert.True(await store.ReplacePasswordHashAsync("u_1", "old", "new", default));
        Assert.Equal("new", (await store.FindByUsernameAsync("erin", default))!.PasswordHash);
        Assert.False(await store.ReplacePasswordHashAsync("u_nope", "old", "new", default));
    }

    [Fact]
    public async Task Last_seen_only_moves_forward_and_many_users_come_in_one_bulk_read()
    {
        var store = Store();
        await store.TryCreateAsync(new User("u_1", "carol", "Carol", "hash", Now), default);
        await store.TryCreateAsync(new User("u_2", "dave", "Dave", "hash", Now), default);

        await store.SetLastSeenAsync("u_1", Now.AddMinutes(5), default);
        await store.SetLastSeenAsync("u_1", Now.AddMinutes(1), default);
        var many = await store.GetManyAsync(["u_1", "u_2", "u_missing"], default);

        Assert.Equal(Now.AddMinutes(5), (await store.GetAsync("u_1", default))!.LastSeen);
        Assert.Equal(["u_1", "u_2"], many.Select(u => u.UserId).Order());
        Assert.Equal(1, dapr.CallsTo(nameof(DaprClient.GetBulkStateAsync)));
    }
}
