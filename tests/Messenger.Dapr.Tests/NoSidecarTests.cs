using System.Net;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Gateway;
using Messenger.Media.DaprHost;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Messenger.Messages.Contracts;
using Messenger.Push;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Dapr.Tests;

/// <summary>
/// Each Dapr app on its real Dapr clients, with no sidecar listening: it builds, starts and answers /healthz, so that
/// `dapr run` and Kubernetes probes find it healthy before its sidecar is ready.
/// </summary>
public sealed class NoSidecarTests
{
    [Fact]
    public Task Gateway_answers_healthz_without_a_sidecar() =>
        AssertHealthyAsync(new DaprAppFactory<GatewayProgram>(new Dictionary<string, string> { ["Messenger:Gateway:InstanceId"] = "lonely" }));

    [Fact]
    public Task Messages_answers_healthz_without_a_sidecar() => AssertHealthyAsync(new DaprAppFactory<MessagesProgram>());

    [Fact]
    public Task Push_answers_healthz_without_a_sidecar() => AssertHealthyAsync(new DaprAppFactory<PushProgram>());

    [Fact]
    public async Task Media_answers_healthz_without_a_sidecar_and_reads_its_blob_secret_only_later()
    {
        await using var media = new DaprAppFactory<MediaProgram>();

        await AssertHealthyAsync(media.CreateClient());

        var blobs = Assert.IsType<SecretBlobStore>(media.Services.GetRequiredService<IBlobStore>());
        Assert.False(blobs.IsLoaded);
        Assert.Same(blobs, media.Services.GetRequiredService<IDirectBlobAccess>());

        // The blobs are not on the local disk: no free-space reserve is checked there.
        Assert.Null(media.Services.GetService<LocalDiskSpace>());
    }

    private static async Task AssertHealthyAsync<T>(WebApplicationFactory<T> app)
        where T : class
    {
        await using (app)
        {
            await AssertHealthyAsync(app.CreateClient());
        }
    }

    private static async Task AssertHealthyAsync(HttpClient client)
    {
        var response = await client.GetAsync(Messenger.Hosting.HostingExtensions.HealthPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
