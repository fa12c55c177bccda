using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;

namespace Messenger.Core.Services;

/// <summary>Registration, login and looking users up.</summary>
public sealed class AccountService(
    IUserStore users, IPresenceDirectory presence, IMessageStore messages, TimeProvider time, PasswordPolicy? passwords = null)
{
    private readonly int iterations = (passwords ?? PasswordPolicy.Default).Iterations;

    public async Task<User> RegisterAsync(string? username, string? password, string? displayName, CancellationToken cancellationToken)
    {
        var name = Validate.Username(username);
        var secret = Validate.Password(password);
        var shown = Validate.DisplayName(displayName) ?? name;
        var user = new User(Ids.New("u_"), name, shown, PasswordHasher.Hash(secret, iterations), time.GetUtcNow());
        if (!await users.TryCreateAsync(user, cancellationToken))
        {
            throw ChatException.Conflict("That username is taken.");
        }

        return user;
    }

    /// <summary>
    /// The user with this username and password. Input that breaks the rules of registration is refused (400) before
    /// any lookup or hashing: it cannot belong to an account.
    /// </summary>
    public async Task<User> LoginAsync(string? username, string? password, CancellationToken cancellationToken)
    {
        var name = Validate.Username(username);
        password = Validate.Password(password);
        var user = await users.FindByUsernameAsync(name, cancellationToken);
        if (user is null)
        {
            PasswordHasher.VerifyNothing(password);
            throw ChatException.Unauthorized("Wrong username or password.");
        }

        if (!PasswordHasher.Verify(password, user.PasswordHash))
        {
            throw ChatException.Unauthorized("Wrong username or password.");
        }

        // A hash made with weaker parameters than today's is replaced now, while the password is at hand.
        if (PasswordHasher.NeedsRehash(user.PasswordHash, iterations))
        {
            var stronger = PasswordHasher.Hash(password, iterations);
            if (await users.ReplacePasswordHashAsync(user.UserId, user.PasswordHash, stronger, cancellationToken))
            {
                user = user with { PasswordHash = stronger };
            }
        }

        return user;
    }

    public const int MaxProfilesPerLookup = 100;

    /// <summary>
    /// The user with this username, as <paramref name="callerId"/> may see them: presence and last seen only when the
    /// caller is the user or shares a conversation with them (null otherwise).
    /// </summary>
    public async Task<(User User, PresenceStatus? Presence)> GetProfileAsync(string callerId, string username, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(username, cancellationToken) ?? throw ChatException.NotFound("No such user.");
        var visible = user.UserId == callerId || (await messages.GetContactIdsAsync(callerId, cancellationToken)).Contains(user.UserId, StringComparer.Ordinal);
        return (user, visible ? await PresenceOfAsync(user, cancellationToken) : null);
    }

    /// <summary>
    /// Profiles by id, for a client that knows ids from conversations: only the caller's own and those of people who
    /// share a conversation with the caller; other ids are left out.
    /// </summary>
    public async Task<IReadOnlyList<(User User, PresenceStatus Presence)>> GetProfilesAsync(
        string callerId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count > MaxProfilesPerLookup)
        {
            throw ChatException.BadRequest($"At most {MaxProfilesPerLookup} ids per lookup.");
        }

        var visible = new HashSet<string>(await messages.GetContactIdsAsync(callerId, cancellationToken), StringComparer.Ordinal) { callerId };
        var wanted = userIds.Select(id => Validate.Id(id, "ids")).Where(visible.Contains).Distinct(StringComparer.Ordinal).ToList();
        var profiles = new List<(User, PresenceStatus)>(wanted.Count);
        foreach (var user in await users.GetManyAsync(wanted, cancellationToken))
        {
            profiles.Add((user, await PresenceOfAsync(user, cancellationToken)));
        }

        return profiles;
    }

    private async Task<PresenceStatus> PresenceOfAsync(User user, CancellationToken cancellationToken)
    {
        var status = await presence.GetAsync(user.UserId, cancellationToken);
        return status with { LastSeen = status.Online ? status.LastSeen : status.LastSeen ?? user.LastSeen };
    }
}
