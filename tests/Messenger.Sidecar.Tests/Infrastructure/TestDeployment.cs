using Dapr.Client;
using Messenger.Sidecar.Components;
using Messenger.Sidecar.Daprd;
using Messenger.Sidecar.Tests.Apps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messenger.Sidecar.Tests.Infrastructure;

/// <summary>
/// Components written to a temp directory (a state store that is also the actor store, a second store without key
/// prefix, a pub/sub with a publishing scope, a fast retry policy, a local secrets file), one shared
/// <see cref="Sidecar.Infrastructure"/>, and the sidecars and test apps a test starts on it.
/// </summary>
public sealed class TestDeployment : IAsyncDisposable
{
    public const string StateStore = "statestore";
    public const string PlainStore = "plainstore";
    public const string NamedStore = "namedstore";
    public const string PubSub = "pubsub";
    public const string SecretStore = "secretstore";
    public const string RestrictedApp = "restricted";
    public const string RestrictedTopic = "allowed-topic";
    public const int MaxRetries = 2;

    private readonly string directory = Path.Combine(Path.GetTempPath(), "sidecar-tests-" + Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> started = [];

    public TestDeployment(TimeProvider? time = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {StateStore}
            spec:
              type: state.redis
              version: v1
              metadata:
                - name: redisHost
                  value: localhost:6379
                - name: actorStateStore
                  value: "true"
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {PlainStore}
            spec:
              type: state.redis
              version: v1
              metadata:
                - name: keyPrefix
                  value: none
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {NamedStore}
            spec:
              type: state.redis
              version: v1
              metadata:
                - name: keyPrefix
                  value: name
            """);
        File.WriteAllText(Path.Combine(directory, "pubsub.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {PubSub}
            spec:
              type: pubsub.redis
              version: v1
              metadata:
                - name: publishingScopes
                  value: "{RestrictedApp}={RestrictedTopic}"
            """);
        File.WriteAllText(Path.Combine(directory, "resiliency.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: fast
            spec:
              policies:
                retries:
                  quick:
                    policy: constant
                    duration: 10ms
                    maxRetries: {MaxRetries}
              targets:
                components:
                  {PubSub}:
                    inbound:
                      retry: quick
            """);
        File.WriteAllText(Path.Combine(directory, "secretstore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {SecretStore}
            spec:
              type: secretstores.local.file
              version: v1
              metadata:
                - name: secretsFile
                  value: secrets.json
            """);
        File.WriteAllText(Path.Combine(directory, "secrets.json"), """{ "db-password": "hunter2", "nested": { "key": "value" } }""");
        Resources = ResourceSet.Load([directory]);
        Infrastructure = new Messenger.Sidecar.Infrastructure(NullLoggerFactory.Instance, time);
    }

    public ResourceSet Resources { get; }

    public Messenger.Sidecar.Infrastructure Infrastructure { get; }

    public ILoggerFactory LoggerFactory => Infrastructure.LoggerFactory;

    public async Task<SidecarHost> StartSidecarAsync(string appId, string? instance = null, int? appPort = null, string? apiToken = null, string? appApiToken = null)
    {
        var sidecar = await SidecarHost.StartAsync(new SidecarOptions
        {
            AppId = appId,
            InstanceName = instance ?? appId,
            AppPort = appPort,
            HttpPort = FreePort.Take(),
            GrpcPort = FreePort.Take(),
            Resources = Resources,
            AppDirectory = directory,
            ApiToken = apiToken,
            AppApiToken = appApiToken,
            AppStartTimeout = TimeSpan.FromSeconds(20),
        }, Infrastructure, CancellationToken.None);
        started.Add(sidecar);
        return sidecar;
    }

    /// <summary>A sidecar and its app: the app knows the sidecar's HTTP port, the sidecar the app's port.</summary>
    public async Task<(SidecarHost Sidecar, TestApp App)> StartAppAsync(string appId, string instance, IReadOnlyList<TestSubscription>? subscriptions = null, string? apiToken = null, string? appApiToken = null)
    {
        var appPort = FreePort.Take();
        var sidecar = await StartSidecarAsync(appId, instance, appPort, apiToken, appApiToken);
        var app = await TestApp.StartAsync(instance, appPort, sidecar.HttpEndpoint, subscriptions ?? [], apiToken);
        started.Add(app);
        await sidecar.Connected.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(sidecar.Runtime.Ready, $"the sidecar of {instance} did not read the app's configuration");
        return (sidecar, app);
    }

    public DaprClient Client(SidecarHost sidecar, string? apiToken = null)
    {
        var builder = new DaprClientBuilder()
            .UseGrpcEndpoint(sidecar.GrpcEndpoint.ToString())
            .UseHttpEndpoint(sidecar.HttpEndpoint.ToString());
        if (apiToken is not null)
        {
            builder.UseDaprApiToken(apiToken);
        }

        var client = builder.Build();
        started.Add(new ClientLease(client));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = started.Count - 1; i >= 0; i--)
        {
            await started[i].DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private sealed class ClientLease(DaprClient client) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
