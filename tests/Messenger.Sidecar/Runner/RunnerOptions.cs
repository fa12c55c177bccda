using Messenger.Sidecar.PubSub;

namespace Messenger.Sidecar.Runner;

/// <summary>What <c>up</c> was asked: the run file, the entry app id (default: the first app), the admin port (0:
/// any free one), the broker's behaviour, how long to wait for every app to answer its health check, and whether the
/// apps get free ports instead of the file's (<see cref="PortRemap"/>).</summary>
public sealed record RunnerOptions(string File, string? Entry, int AdminPort, BrokerBehavior Behavior, TimeSpan ReadyTimeout, bool FreePorts = false);
