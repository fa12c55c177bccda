using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Dapr.Tests.Infrastructure;

/// <summary>
/// One of the Dapr apps, run from its own Program.cs in memory, with its sidecar replaced: DaprClient by
/// <paramref name="dapr"/> and actor calls by <paramref name="sidecar"/> (both optional: without them the real
/// clients are used, pointed at a port where no sidecar listens).
/// </summary>
internal sealed class DaprAppFactory<TEntryPoint>(
    IReadOnlyDictionary<string, string>? settings = null,
    InMemoryDapr? dapr = null,
    ActorSidecar? sidecar = null,
    ActorStateVault? vault = null,
    Action<IServiceCollection>? services = null,
    string environment = "Testing") : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>Where the real Dapr clients look for a sidecar when none is faked: nothing listens there.</summary>
    public const string NoSidecar = "http://127.0.0.1:9";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Messenger:Auth:SigningKey", TestSettings.SigningKey);
        builder.UseSetting("DAPR_GRPC_ENDPOINT", NoSidecar);
        builder.UseSetting("DAPR_HTTP_ENDPOINT", NoSidecar);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(test =>
        {
            if (dapr is not null)
            {
                test.AddSingleton(dapr.Client);
            }

            if (sidecar is not null)
            {
                test.AddSingleton<IActorProxyFactory>(new ActorProxyFactory(
                    new ActorProxyOptions { UseJsonSerialization = true, JsonSerializerOptions = DaprJson.Options, HttpEndpoint = "http://sidecar" },
                    sidecar));
            }

            if (vault is not null)
            {
                test.AddOptions<ActorRuntimeOptions>().PostConfigure<IServiceProvider>((options, provider) =>
                {
                    foreach (var registration in options.Actors)
                    {
                        registration.Activator = new TestActorActivator(provider, vault);
                    }
                });
            }

            services?.Invoke(test);
        });
    }
}
