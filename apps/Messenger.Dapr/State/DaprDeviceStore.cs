using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// Push devices: <c>device:{sha256(token)}</c> holds the device and its owner, <c>user:{id}:devices</c> the hashes of
/// a user's devices (ETag-guarded). The device record is the truth: a listing skips index entries whose device now
/// belongs to someone else or is gone.
/// </summary>
public sealed class DaprDeviceStore(StateRecords records, IOptions<DaprOptions> options) : IDeviceStore
{
    private sealed record DeviceIndex(ImmutableArray<string> TokenHashes);

    public async Task UpsertAsync(Device device, CancellationToken cancellationToken)
    {
        var hash = StateKeys.TokenHash(device.Token);
        var previous = await records.GetAsync<Device>(DaprNames.StateStore, StateKeys.Device(device.Token), cancellationToken);
        await IndexAsync(device.UserId, hash, add: true, cancellationToken);
        await records.Client.SaveStateAsync(DaprNames.StateStore, StateKeys.Device(device.Token), device, cancellationToken: cancellationToken);
        if (previous is not null && previous.UserId != device.UserId)
        {
            await IndexAsync(previous.UserId, hash, add: false, cancellationToken);
        }
    }

    public async Task RemoveAsync(string token, string userId, CancellationToken cancellationToken)
    {
        var device = await records.GetAsync<Device>(DaprNames.StateStore, StateKeys.Device(token), cancellationToken);
        if (device is not null && device.UserId == userId)
        {
            await DeleteAsync(device, cancellationToken);
        }
    }

    public async Task PruneAsync(string token, CancellationToken cancellationToken)
    {
        var device = await records.GetAsync<Device>(DaprNames.StateStore, StateKeys.Device(token), cancellationToken);
        if (device is not null)
        {
            await DeleteAsync(device, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<Device>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var index = await records.GetAsync<DeviceIndex>(DaprNames.StateStore, StateKeys.UserDevices(userId), cancellationToken);
        if (index is null || index.TokenHashes.IsDefaultOrEmpty)
        {
            return [];
        }

        var keys = index.TokenHashes.Select(StateKeys.DeviceByHash).ToList();
        var items = await records.Client.GetBulkStateAsync<Device?>(DaprNames.StateStore, keys, options.Value.MaxParallelCalls, cancellationToken: cancellationToken);
        return items.Select(i => i.Value).OfType<Device>().Where(d => d.UserId == userId).OrderBy(d => d.RegisteredAt).ToList();
    }

    private async Task DeleteAsync(Device device, CancellationToken cancellationToken)
    {
        await records.Client.DeleteStateAsync(DaprNames.StateStore, StateKeys.Device(device.Token), cancellationToken: cancellationToken);
        await IndexAsync(device.UserId, StateKeys.TokenHash(device.Token), add: false, cancellationToken);
    }

    private Task IndexAsync(string userId, string hash, bool add, CancellationToken cancellationToken) =>
        records.UpdateAsync<DeviceIndex>(DaprNames.StateStore, StateKeys.UserDevices(userId), index =>
        {
            var hashes = index?.TokenHashes is { IsDefault: false } h ? h : [];
            if (hashes.Contains(hash) == add)
            {
                return index;
            }

            return new DeviceIndex(add ? hashes.Add(hash) : hashes.Remove(hash));
        }, cancellationToken);
}
