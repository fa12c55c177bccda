using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Messenger.Dapr.Tests;

public sealed class DaprSessionStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly InMemoryDapr dapr;

    public DaprSessionStoreTests() => dapr = new InMemoryDapr(time);

    private static Session Alice(string tokenId = "t_1") => new("s_1", "u_alice", tokenId, Now.AddHours(1), Now.AddDays(30));

    private DaprSessionStore Store(DaprClient? client = null) =>
        new(new StateRecords(client ?? dapr.Client, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()), time);

    [Fact]
    public async Task A_session_is_written_under_its_key_with_a_ttl_that_ends_when_its_token_expires()
    {
        var client = new Mock<DaprClient>(MockBehavior.Strict);
        var session = Alice();
        client.Setup(d => d.SaveStateAsync(DaprNames.StateStore, "session:s_1", session, null,
                It.Is<IReadOnlyDictionary<string, string>>(m => m["ttlInSeconds"] == "3600"), default))
            .Returns(Task.CompletedTask);

        await Store(client.Object).CreateAsync(session, default);

        client.VerifyAll();
    }

    [Fact]
    public async Task The_store_forgets_a_session_once_its_token_expired_unrefreshed()
    {
        var store = Store();
        await store.CreateAsync(Alice(), default);

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(Alice(), await store.GetAsync("s_1", default));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await store.GetAsync("s_1", default));
    }

    [Fact]
    public async Task A_rotation_replaces_the_current_token_once_and_a_second_one_from_the_old_token_changes_nothing()
    {
        var store = Store();
        await store.CreateAsync(Alice(), default);

        var rotated = await store.RotateAsync("s_1", "t_1", "t_2", Now.AddHours(2), default);
        var again = await store.RotateAsync("s_1", "t_1", "t_3", Now.AddHours(3), default);

        Assert.Equal(Alice("t_2") with { TokenExpiresAt = Now.AddHours(2) }, rotated);
        Assert.Null(again);
        Assert.Equal(rotated, await store.GetAsync("s_1", default));
        Assert.Null(await store.RotateAsync("s_missing", "t_1", "t_4", Now.AddHours(2), default));
    }

    [Fact]
    public async Task A_rotation_writes_the_ttl_of_the_new_token_so_the_session_outlives_its_first_token()
    {
        var store = Store();
        await store.CreateAsync(Alice(), default);
        time.Advance(TimeSpan.FromMinutes(50));

        await store.RotateAsync("s_1", "t_1", "t_2", Now.AddMinutes(110), default);
        time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal("t_2", (await store.GetAsync("s_1", default))?.TokenId);
    }

    [Fact]
    public async Task Ending_a_session_removes_it_and_says_which_it_was_once()
    {
        var store = Store();
        await store.CreateAsync(Alice(), default);

        Assert.Equal(Alice(), await store.EndAsync("s_1", default));
        Assert.Null(await store.EndAsync("s_1", default));
        Assert.Null(await store.GetAsync("s_1", default));
        Assert.False(dapr.Has(DaprNames.StateStore, "session:s_1"));
        Assert.Null(await store.RotateAsync("s_1", "t_1", "t_2", Now.AddHours(2), default));
        Assert.False(dapr.Has(DaprNames.StateStore, "session:s_1"));
    }

    [Fact]
    public async Task Many_sessions_come_in_one_bulk_read_and_missing_ones_are_left_out()
    {
        var store = Store();
        await store.CreateAsync(Alice(), default);
        await store.CreateAsync(new Session("s_2", "u_bob", "t_9", Now.AddHours(1), Now.AddDays(30)), default);

        var many = await store.GetManyAsync(["s_1", "s_2", "s_gone", "s_1"], default);

        Assert.Equal(["s_1", "s_2"], many.Select(s => s.SessionId).Order());
        Assert.Equal(1, dapr.CallsTo(nameof(DaprClient.GetBulkStateAsync)));
        Assert.Empty(await store.GetManyAsync([], default));
        Assert.Equal(1, dapr.CallsTo(nameof(DaprClient.GetBulkStateAsync)));
    }
}
