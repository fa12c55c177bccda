using System.Diagnostics.Metrics;
using Messenger.Core.Telemetry;
using Messenger.Gateway.Connections;

namespace Messenger.Gateway;

/// <summary>
/// What a gateway instance holds, observed when metrics are collected (nothing on the per-message path): its open
/// connections and the deepest outbound queue among them, each tagged with the instance id.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = MessengerTelemetry.Name + ".Gateway";

    public GatewayMetrics(IMeterFactory meters, ConnectionRegistry registry, GatewayInstance instance)
    {
        var meter = meters.Create(MeterName);
        var gateway = new KeyValuePair<string, object?>(MessengerTelemetry.GatewayIdAttribute, instance.Id);
        meter.CreateObservableUpDownCounter(
            MessengerTelemetry.ConnectionsName,
            () => new Measurement<int>(registry.Count, gateway),
            "{connection}",
            "Open client WebSockets on this gateway instance.");
        meter.CreateObservableGauge(
            MessengerTelemetry.OutboundQueueDepthName,
            () => new Measurement<int>(registry.All().Select(c => c.QueueDepth).DefaultIfEmpty().Max(), gateway),
            "{frame}",
            "The deepest outbound queue among this gateway's connections (a connection whose queue fills is closed).");
    }
}
