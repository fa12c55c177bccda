namespace Messenger.Observability.Tests;

/// <summary>
/// The meter and activity source are static, so every host in this process reports to them: the suites that read
/// them run one after another, never beside each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}
