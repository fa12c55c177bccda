using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// Users in the state store: <c>user:{id}</c> holds the user, <c>username:{name}</c> the id that claimed the name
/// (first write wins). The user is written before the name is claimed, so a crash in between leaves an unreachable
/// user record, never a name that points at nothing.
/// </summary>
public sealed class DaprUserStore(StateRecords records, IOptions<DaprOptions> options) : IUserStore
{
    private sealed record UsernameClaim(string UserId);

    public async Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken)
    {
        await records.Client.SaveStateAsync(DaprNames.StateStore, StateKeys.User(user.UserId), user, cancellationToken: cancellationToken);
        var claim = await records.InsertIfAbsentAsync(
            DaprNames.StateStore, StateKeys.Username(user.Username), new UsernameClaim(user.UserId), cancellationToken);
        if (claim.UserId == user.UserId)
        {
            return true;
        }

        await records.Client.DeleteStateAsync(DaprNames.StateStore, StateKeys.User(user.UserId), cancellationToken: cancellationToken);
        return false;
    }

    public async Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var claim = await records.GetAsync<UsernameClaim>(DaprNames.StateStore, StateKeys.Username(username), cancellationToken);
        return claim is null ? null : await GetAsync(claim.UserId, cancellationToken);
    }

    public Task<User?> GetAsync(string userId, CancellationToken cancellationToken) =>
        records.GetAsync<User>(DaprNames.StateStore, StateKeys.User(userId), cancellationToken);

    public Task<bool> ReplacePasswordHashAsync(string userId, string currentHash, string newHash, CancellationToken cancellationToken) =>
        records.UpdateAsync<User, bool>(
            DaprNames.StateStore,
            StateKeys.User(userId),
            user => user is not null && string.Equals(user.PasswordHash, currentHash, StringComparison.Ordinal)
                ? (user with { PasswordHash = newHash }, true)
                : (user, false),
            null,
            cancellationToken);

    public Task SetLastSeenAsync(string userId, DateTimeOffset lastSeen, CancellationToken cancellationToken) =>
        records.UpdateAsync<User>(
            DaprNames.StateStore,
            StateKeys.User(userId),
            user => user is null || user.LastSeen >= lastSeen ? user : user with { LastSeen = lastSeen },
            cancellationToken);

    public async Task<IReadOnlyList<User>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var keys = userIds.Distinct(StringComparer.Ordinal).Select(StateKeys.User).ToList();
        if (keys.Count == 0)
        {
            return [];
        }

        var items = await records.Client.GetBulkStateAsync<User?>(DaprNames.StateStore, keys, options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        return items.Select(i => i.Value).OfType<User>().ToList();
    }
}
