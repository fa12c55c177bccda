namespace Messenger.Sidecar.PubSub;

/// <summary>
/// What real brokers do that an in-order, exactly-once queue does not, switchable while running: deliver an event
/// again after it was acknowledged (<see cref="RedeliveryRate"/>: the share of events delivered twice), deliver up to
/// <see cref="Concurrency"/> events of one topic at once in shuffled order, and wait a random time up to
/// <see cref="MaxDelayMilliseconds"/> before each delivery. The defaults (0, 1, 0) deliver in publish order, once.
/// </summary>
public sealed record BrokerBehavior(double RedeliveryRate = 0, int Concurrency = 1, int MaxDelayMilliseconds = 0)
{
    public BrokerBehavior Validate()
    {
        if (RedeliveryRate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RedeliveryRate), RedeliveryRate, "A share between 0 and 1.");
        }

        if (Concurrency < 1)
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
