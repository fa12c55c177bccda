namespace Messenger.Gateway.Connections;

/// <summary>A place for one connection, counted against the per-user and the gateway's limit until it is disposed.</summary>
public sealed class ConnectionSlot : IDisposable
{
    private readonly ConnectionRegistry registry;
    private int released;

    internal ConnectionSlot(ConnectionRegistry registry, string userId)
    {
        this.registry = registry;
        UserId = userId;
    }

    public string UserId { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            registry.Release(UserId);
        }
    }
}
