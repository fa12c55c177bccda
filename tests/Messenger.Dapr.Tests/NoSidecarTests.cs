using System.Net;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Gateway;
using Messenger.Messages.Contracts;
using Messenger.Push;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Messenger.Dapr.Tests;

/// <summary>
/// Each Dapr app on its real Dapr clients, with no sidecar listening: it builds, starts and answers /healthz, so that
/// `dapr run` and Kubernetes probes find it healthy before its sidecar is ready.
/// </summary>
public sealed class NoSidecarTests
{
    [Fact]
    public Task Gateway_answers_healthz_without_a_sidecar() =>
        AssertHealthyAsync(new DaprAppFactory<GatewayInstance>(new Dictionary<string, string> { ["Messenger:Gateway:InstanceId"] = "lonely" }));

    [Fact]
    public Task Messages_answers_healthz_without_a_sidecar() => AssertHealthyAsync(new DaprAppFactory<AuthResponse>());

    [Fact]
    public Task Push_answers_healthz_without_a_sidecar() => AssertHealthyAsync(new DaprAppFactory<PushRequestHandler>());

    private static async Task AssertHealthyAsync<T>(WebApplicationFactory<T> app)
        where T : class
    {
        await using (app)
        {
            var response = await app.CreateClient().GetAsync(Messenger.Hosting.HostingExtensions.HealthPath);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
