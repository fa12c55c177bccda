namespace Messenger.Sidecar.PubSub;

/// <summary>
/// What real brokers do that an in-order, exactly-once queue does not, switchable while running: deliver an event
/// again after it was acknowledged (<see cref="RedeliveryRate"/>: the share of events delivered twice), a number of
/// deliveries in flight at once to one sidecar other than its component's (<see cref="Concurrency"/>; null keeps the
/// component's <c>concurrency</c>, 10 by default as Redis streams' workers), and a random wait up to
/// <see cref="MaxDelayMilliseconds"/> before each delivery. Events start in publish order; with more than one in
/// flight they may finish (and reach the app's handler) in another. Concurrency 1 delivers strictly in order.
/// </summary>
public sealed record BrokerBehavior(double RedeliveryRate = 0, int? Concurrency = null, int MaxDelayMilliseconds = 0)
{
    public BrokerBehavior Validate()
    {
        if (RedeliveryRate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RedeliveryRate), RedeliveryRate, "A share between 0 and 1.");
        }

        if (Concurrency is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "At least 1.");
        }

        if (MaxDelayMilliseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelayMilliseconds), MaxDelayMilliseconds, "Not negative.");
        }

        return this;
    }
}
