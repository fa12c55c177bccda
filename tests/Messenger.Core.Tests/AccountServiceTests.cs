using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Core.Services;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Messenger.Core.Tests;

public sealed class AccountServiceTests
{
    private const string Password = "correct horse battery staple";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Mock<IUserStore> users = new(MockBehavior.Strict);
    private readonly AccountService accounts;

    public AccountServiceTests()
    {
        accounts = new AccountService(users.Object, Mock.Of<IPresenceDirectory>(), Mock.Of<IMessageStore>(), new FakeTimeProvider(States.Created));
    }

    [Fact]
    public async Task A_login_with_a_hash_of_fewer_iterations_replaces_it_with_a_current_one_of_the_same_password()
    {
        var old = PasswordHasherTests.LegacyHash(Password, 100_000);
        users.Setup(u => u.FindByUsernameAsync("alice", None)).ReturnsAsync(new User("u_1", "alice", "Alice", old, States.Created));
        string? stored = null;
        users.Setup(u => u.ReplacePasswordHashAsync("u_1", old, It.IsAny<string>(), None))
            .Callback((string _, string _, string next, CancellationToken _) => stored = next).ReturnsAsync(true);

        var user = await accounts.LoginAsync("alice", Password, None);

        Assert.NotNull(stored);
        Assert.Equal(stored, user.PasswordHash);
        Assert.False(PasswordHasher.NeedsRehash(stored!));
        Assert.True(PasswordHasher.Verify(Password, stored!));
    }

    [Fact]
    public async Task Registration_hashes_with_the_rounds_of_the_password_policy()
    {
        users.Setup(u => u.TryCreateAsync(It.IsAny<User>(), None)).ReturnsAsync(true);
        var cheap = new AccountService(
            users.Object, Mock.Of<IPresenceDirectory>(), Mock.Of<IMessageStore>(), new FakeTimeProvider(States.Created), new PasswordPolicy(1_000));

        var user = await cheap.RegisterAsync("alice", Password, null, None);

        Assert.StartsWith("pbkdf2-sha256$1000$", user.PasswordHash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(Password, user.PasswordHash));
    }

    [Fact]
    public async Task A_login_with_a_current_hash_writes_nothing()
    {
        var current = PasswordHasher.Hash(Password);
        users.Setup(u => u.FindByUsernameAsync("alice", None)).ReturnsAsync(new User("u_1", "alice", "Alice", current, States.Created));

        var user = await accounts.LoginAsync("alice", Password, None);

        Assert.Equal(current, user.PasswordHash);
        users.Verify(u => u.ReplacePasswordHashAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_wrong_password_against_an_old_hash_is_refused_and_the_hash_is_kept()
    {
        var old = PasswordHasherTests.LegacyHash(Password, 100_000);
        users.Setup(u => u.FindByUsernameAsync("alice", None)).ReturnsAsync(new User("u_1", "alice", "Alice", old, States.Created));

        var refused = await Assert.ThrowsAsync<ChatException>(() => accounts.LoginAsync("alice", "wrong horse battery", None));

        Assert.Equal(ErrorCodes.Unauthorized, refused.Code);
        users.Verify(u => u.ReplacePasswordHashAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(null, Password)]
    [InlineData("Not A Username", Password)]
    [InlineData("alice", null)]
    [InlineData("alice", "short")]
    public async Task A_login_that_breaks_the_input_rules_is_a_bad_request_before_any_lookup(string? username, string? password)
    {
        var refused = await Assert.ThrowsAsync<ChatException>(() => accounts.LoginAsync(username, password, None));

        Assert.Equal(ErrorCodes.BadRequest, refused.Code);
        users.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_login_with_a_megabyte_username_is_a_bad_request()
    {
        var refused = await Assert.ThrowsAsync<ChatException>(() => accounts.LoginAsync(new string('a', 1_000_000), Password, None));

        Assert.Equal(ErrorCodes.BadRequest, refused.Code);
        users.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Profile_by_username_shows_presence_to_contacts_and_to_oneself_only()
    {
        var presence = new Mock<IPresenceDirectory>();
        presence.Setup(p => p.GetAsync("u_bob", None)).ReturnsAsync(new PresenceStatus("u_bob", true, null));
        var messages = new Mock<IMessageStore>();
        messages.Setup(m => m.GetContactIdsAsync("u_alice", None)).ReturnsAsync(["u_bob"]);
        messages.Setup(m => m.GetContactIdsAsync("u_mallory", None)).ReturnsAsync(["u_carol"]);
        messages.Setup(m => m.GetContactIdsAsync("u_bob", None)).ReturnsAsync([]);
        users.Setup(u => u.FindByUsernameAsync("bob", None)).ReturnsAsync(new User("u_bob", "bob", "Bob", "h", States.Created));
        var lookup = new AccountService(users.Object, presence.Object, messages.Object, new FakeTimeProvider(States.Created));

        var (_, toContact) = await lookup.GetProfileAsync("u_alice", "bob", None);
        var (_, toStranger) = await lookup.GetProfileAsync("u_mallory", "bob", None);
        var (_, toSelf) = await lookup.GetProfileAsync("u_bob", "bob", None);

        Assert.True(toContact!.Online);
        Assert.Null(toStranger);
        Assert.True(toSelf!.Online);
    }
}
