using Messenger.Core.Domain;
using Messenger.Embedded.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Embedded.Tests;

public sealed class SqliteSessionStoreTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase temp = new();
    private readonly FakeTimeProvider time = new(Now);

    public Task InitializeAsync() => temp.InitializeAsync();

    public Task DisposeAsync() => temp.DisposeAsync();

    private static Session Alice(string tokenId = "t_1") => new("s_1", "u_alice", tokenId, Now.AddHours(1), Now.AddDays(30));

    [Fact]
    public async Task A_session_is_kept_across_a_restart()
    {
        await new SqliteSessionStore(temp.Database, time).CreateAsync(Alice(), None);

        var after = new SqliteSessionStore(await temp.ReopenAsync(), time);

        Assert.Equal(Alice(), await after.GetAsync("s_1", None));
        Assert.Null(await after.GetAsync("s_other", None));
    }

    [Fact]
    public async Task A_rotation_replaces_the_current_token_once_and_a_second_one_from_the_old_token_changes_nothing()
    {
        var store = new SqliteSessionStore(temp.Database, time);
        await store.CreateAsync(Alice(), None);

        var rotated = await store.RotateAsync("s_1", "t_1", "t_2", Now.AddHours(2), None);
        var again = await store.RotateAsync("s_1", "t_1", "t_3", Now.AddHours(3), None);

        Assert.Equal(Alice("t_2") with { TokenExpiresAt = Now.AddHours(2) }, rotated);
        Assert.Null(again);
        Assert.Equal(rotated, await store.GetAsync("s_1", None));
        Assert.Null(await store.RotateAsync("s_missing", "t_1", "t_4", Now.AddHours(2), None));
    }

    [Fact]
    public async Task Ending_a_session_removes_it_and_says_which_it_was_once()
    {
        var store = new SqliteSessionStore(temp.Database, time);
        await store.CreateAsync(Alice(), None);

        Assert.Equal(Alice(), await store.EndAsync("s_1", None));
        Assert.Null(await store.EndAsync("s_1", None));
        Assert.Null(await store.GetAsync("s_1", None));
        Assert.Null(await store.RotateAsync("s_1", "t_1", "t_2", Now.AddHours(2), None));
    }

    [Fact]
    public async Task A_session_that_is_no_longer_live_is_deleted_by_the_next_sign_in_and_a_live_one_is_not()
    {
        var store = new SqliteSessionStore(temp.Database, time);
        await store.CreateAsync(Alice(), None);
        await store.CreateAsync(new Session("s_2", "u_bob", "t_9", Now.AddHours(3), Now.AddDays(30)), None);
        time.Advance(TimeSpan.FromHours(2));

        Assert.NotNull(await store.GetAsync("s_1", None));
        await store.CreateAsync(new Session("s_3", "u_carol", "t_8", Now.AddHours(3), Now.AddDays(30)), None);

        Assert.Null(await store.GetAsync("s_1", None));
        Assert.Equal(["s_2", "s_3"], (await store.GetManyAsync(["s_1", "s_2", "s_3", "s_2"], None)).Select(s => s.SessionId).Order());
    }
}
