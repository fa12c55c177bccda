using Messenger.Core.Domain;
using Messenger.Core.Ports;

namespace Messenger.IntegrationTests.Infrastructure;

/// <summary>The real presence directory, with every connect taking <paramref name="delay"/> longer: a storm of connects.</summary>
internal sealed class SlowConnectPresence(IPresenceDirectory inner, TimeSpan delay) : IPresenceDirectory
{
    public async Task<bool> ConnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return await inner.ConnectAsync(userId, gatewayId, connectionId, cancellationToken);
    }

    public Task<PresenceStatus?> DisconnectAsync(string userId, string gatewayId, string connectionId, CancellationToken cancellationToken) =>
        inner.DisconnectAsync(userId, gatewayId, connectionId, cancellationToken);

    public Task<IReadOnlyDictionary<string, IReadOnlyCollection<string>>> LocateAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        inner.LocateAsync(userIds, cancellationToken);

    public Task<PresenceStatus> GetAsync(string userId, CancellationToken cancellationToken) => inner.GetAsync(userId, cancellationToken);

    public Task<bool> RenewAsync(string gatewayId, CancellationToken cancellationToken) => inner.RenewAsync(gatewayId, cancellationToken);

    public Task<IReadOnlyList<PresenceStatus>> ExpireAsync(CancellationToken cancellationToken) => inner.ExpireAsync(cancellationToken);
}
