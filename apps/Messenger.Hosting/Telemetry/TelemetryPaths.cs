namespace Messenger.Hosting.Telemetry;

/// <summary>The operational paths every host answers besides <c>/healthz</c>.</summary>
public static class TelemetryPaths
{
    /// <summary>Liveness: the process answers (no dependency is checked, so a sidecar or disk hiccup restarts nothing).</summary>
    public const string Live = "/healthz/live";

    /// <summary>Readiness: what serving needs (the database in one process, the Dapr sidecar in Dapr mode).</summary>
    public const string Ready = "/healthz/ready";

    /// <summary>The Prometheus scrape endpoint (<see cref="TelemetryOptions.MetricsPort"/> says where it answers).</summary>
    public const string Metrics = "/metrics";
}
