using Dapr.Actors.Runtime;

namespace Messenger.Sidecar.Tests.Apps;

public sealed class CounterActor(ActorHost host, AppIdentity identity) : Actor(host), ICounterActor
{
    public const string CountState = "count";

    public async Task<int> IncrementAsync()
    {
        var count = (await StateManager.TryGetStateAsync<int>(CountState)).Value + 1;
        await StateManager.SetStateAsync(CountState, count);
        await StateManager.SaveStateAsync();
        return count;
    }

    public async Task<string> HoldAsync(int milliseconds)
    {
        var id = Id.GetId();
        if (identity.InFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
        {
            identity.Overlaps.Add(id);
        }

        identity.Enter();
        try
        {
            await Task.Delay(milliseconds);
            return identity.Name;
        }
        finally
        {
            identity.Leave();
            identity.InFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
        }
    }

    public Task<string> WhereAsync() => Task.FromResult(identity.Name);
}
