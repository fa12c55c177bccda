namespace Messenger.Hosting.Telemetry;

/// <summary>Section <c>Messenger:Telemetry</c>: logs, traces and where <c>/metrics</c> answers.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Messenger:Telemetry";

    /// <summary>
    /// JSON lines on the console (one object per line, with the trace and span id). Unset: on in a container
    /// (<c>DOTNET_RUNNING_IN_CONTAINER=true</c>, set by the .NET base images), off elsewhere.
    /// </summary>
    public bool? JsonLogs { get; set; }

    /// <summary>
    /// Record spans even when no OTLP endpoint is set (they then only give log lines their per-message trace id).
    /// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, spans are recorded and exported whatever this says.
    /// </summary>
    public bool Tracing { get; set; }

    /// <summary>
    /// The local port on which <c>/metrics</c> answers (add it to <c>ASPNETCORE_URLS</c>; the chart does), so that the
    /// public port never serves it. Unset: <c>/metrics</c> answers only requests from a loopback address.
    /// </summary>
    public int? MetricsPort { get; set; }
}
