namespace Messenger.Sidecar.PubSub;

/// <summary>
/// The deliveries in flight from one component to one app instance, at most a limit at once; the limit is given at
/// each entry, so a behaviour switch takes effect with the next event.
/// </summary>
public sealed class DeliveryWindow : IDisposable
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim left = new(0);
    private int inFlight;

    public async Task EnterAsync(int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (gate)
            {
                if (inFlight < limit)
                {
                    inFlight++;
                    return;
                }
            }

            await left.WaitAsync(cancellationToken);
        }
    }

    public void Leave()
    {
        lock (gate)
        {
            inFlight--;
        }

        left.Release();
    }

    public void Dispose() => left.Dispose();
}
