using Messenger.Core.Domain;
using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class SqliteUserStoreTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly TempDatabase temp = new();
    private SqliteUserStore users = null!;

    public async Task InitializeAsync()
    {
        await temp.InitializeAsync();
        users = new SqliteUserStore(temp.Database);
    }

    public Task DisposeAsync() => temp.DisposeAsync();

    [Fact]
    public async Task TryCreate_stores_a_new_user_that_can_be_found_by_name_and_id()
    {
        var alice = new User("u_alice", "alice", "Alice A.", "pbkdf2-sha256$100000$c2FsdA==$a2V5", Created);

        Assert.True(await users.TryCreateAsync(alice, None));

        Assert.Equal(alice, await users.FindByUsernameAsync("alice", None));
        Assert.Equal(alice, await users.GetAsync("u_alice", None));
    }

    [Fact]
    public async Task TryCreate_with_a_taken_username_returns_false_and_keeps_the_first()
    {
        Assert.True(await users.TryCreateAsync(new User("u_1", "alice", "First", "h1", Created), None));

        Assert.False(await users.TryCreateAsync(new User("u_2", "alice", "Second", "h2", Created), None));

        var found = await users.FindByUsernameAsync("alice", None);
        Assert.Equal("u_1", found!.UserId);
        Assert.Equal("First", found.DisplayName);
        Assert.Null(await users.GetAsync("u_2", None));
    }

    [Fact]
    public async Task FindByUsername_of_an_unknown_name_is_null()
    {
        await users.TryCreateAsync(new User("u_1", "alice", "Alice", "h", Created), None);

        Assert.Null(await users.FindByUsernameAsync("bob", None));
        Assert.Null(await users.FindByUsernameAsync("ALICE", None));
        Assert.Null(await users.GetAsync("u_nope", None));
    }

    [Fact]
    public async Task ReplacePasswordHash_replaces_only_the_hash_it_was_given()
    {
        await users.TryCreateAsync(new User("u_1", "alice", "Alice", "old", Created), None);

        Assert.False(await users.ReplacePasswordHashAsync("u_1", "not-the-stored-one", "new", None));
        Assert.Equal("old", (await users.GetAsync("u_1", None))!.PasswordHash);
        Assert.True(await users.ReplacePasswordHashAsync("u_1", "old", "new", None));
        Assert.Equal("new", (await users.FindByUsernameAsync("alice", None))!.PasswordHash);
        Assert.False(await users.ReplacePasswordHashAsync("u_nope", "old", "new", None));
    }

    [Fact]
    public async Task SetLastSeen_is_kept()
    {
        await users.TryCreateAsync(new User("u_1", "alice", "Alice", "h", Created), None);
        Assert.Null((await users.GetAsync("u_1", None))!.LastSeen);
        var seen = Created.AddHours(5);

        await users.SetLastSeenAsync("u_1", seen, None);

        Assert.Equal(seen, (await users.GetAsync("u_1", None))!.LastSeen);
        Assert.Equal(seen, (await users.FindByUsernameAsync("alice", None))!.LastSeen);
    }

    [Fact]
    public async Task GetMany_returns_the_known_users_once_each()
    {
        await users.TryCreateAsync(new User("u_1", "alice", "Alice", "h", Created), None);
        await users.TryCreateAsync(new User("u_2", "bob", "Bob", "h", Created), None);

        var found = await users.GetManyAsync(["u_1", "u_2", "u_1", "u_ghost"], None);

        Assert.Equal(["u_1", "u_2"], found.Select(u => u.UserId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TryCreate_many_concurrently_with_one_name_admits_exactly_one()
    {
        var attempts = Enumerable.Range(0, 20)
            .Select(i => users.TryCreateAsync(new User($"u_{i}", "popular", $"Try {i}", "h", Created), None));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, created => created);
    }
}
