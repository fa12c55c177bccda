using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;

namespace Messenger.Core.Services;

/// <summary>Registration, login and looking users up.</summary>
public sealed class AccountService(IUserStore users, IPresenceDirectory presence, TimeProvider time)
{
    public async Task<User> RegisterAsync(string? username, string? password, string? displayName, CancellationToken cancellationToken)
    {
        var name = Validate.Username(username);
        var secret = Validate.Password(password);
        var shown = Validate.DisplayName(displayName) ?? name;
        var user = new User(Ids.New("u_"), name, shown, PasswordHasher.Hash(secret), time.GetUtcNow());
        if (!await users.TryCreateAsync(user, cancellationToken))
        {
            throw ChatException.Conflict("That username is taken.");
        }

        return user;
    }

    public async Task<User> LoginAsync(string? username, string? password, CancellationToken cancellationToken)
    {
        var user = username is null ? null : await users.FindByUsernameAsync(username, cancellationToken);
        if (user is null || password is null)
        {
            PasswordHasher.VerifyNothing(password ?? string.Empty);
            throw ChatException.Unauthorized("Wrong username or password.");
        }

        return PasswordHasher.Verify(password, user.PasswordHash)
            ? user
            : throw ChatException.Unauthorized("Wrong username or password.");
    }

    public async Task<(User User, PresenceStatus Presence)> GetProfileAsync(string username, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(username, cancellationToken) ?? throw ChatException.NotFound("No such user.");
        var status = await presence.GetAsync(user.UserId, cancellationToken);
        return (user, status with { LastSeen = status.Online ? status.LastSeen : status.LastSeen ?? user.LastSeen });
    }
}
