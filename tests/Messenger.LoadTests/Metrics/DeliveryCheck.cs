namespace Messenger.LoadTests.Metrics;

/// <summary>What the end-of-phase check found: deliveries missing and conversations whose acked seqs are not 1..n.</summary>
public sealed record DeliveryCheck(long Expected, long Lost, long SeqErrors);
