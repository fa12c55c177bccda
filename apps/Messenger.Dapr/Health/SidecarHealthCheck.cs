using Dapr.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Messenger.Dapr.Health;

/// <summary>
/// Readiness in Dapr mode: the sidecar's outbound APIs answer (daprd's <c>/v1.0/healthz/outbound</c>). The outbound
/// check, not <c>/v1.0/healthz</c>: daprd's own health waits for the app, and the app's readiness waiting for daprd
/// in turn would never settle.
/// </summary>
public sealed class SidecarHealthCheck(DaprClient dapr) : IHealthCheck
{
    public const string Name = "dapr-sidecar";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await dapr.CheckOutboundHealthAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "The Dapr sidecar does not answer.");
}
