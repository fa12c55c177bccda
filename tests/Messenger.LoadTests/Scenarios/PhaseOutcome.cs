using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Scenarios;

/// <summary>What one sending phase produced.</summary>
public sealed record PhaseOutcome(DeliveryTracker Tracker, DeliveryCheck Check, long StartedAt, MeasuredUsage Usage);
