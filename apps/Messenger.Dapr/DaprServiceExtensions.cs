using Dapr.Actors.Client;
using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Dapr.Actors;
using Messenger.Core.Telemetry;
using Messenger.Dapr.Bus;
using Messenger.Dapr.Health;
using Messenger.Dapr.Presence;
using Messenger.Dapr.Security;
using Messenger.Dapr.State;
using Messenger.Dapr.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Messenger.Dapr;

public static class DaprServiceExtensions
{
    /// <summary>
    /// Every port on the Dapr sidecar: state store (media metadata and the media catalog over it included), cache
    /// store, pub/sub and actor proxies. Nothing here talks to the sidecar while the host is built or started, so the
    /// app answers /healthz before its sidecar is up. The routes only the sidecar may call need its app API token
    /// (<see cref="AppApiTokenOptions"/>), and a Production app without one refuses to start.
    /// </summary>
    public static IHostApplicationBuilder AddDaprAdapters(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AppApiTokenOptions>()
            .Configure<IConfiguration>((options, configuration) => options.Token = configuration[AppApiTokenOptions.ConfigurationKey])
            .Validate<IHostEnvironment>((options, environment) => options.IsSet || !environment.IsProduction(), AppApiTokenOptions.MissingInProduction)
            .ValidateOnStart();
        services.AddTransient<IStartupFilter, AppApiTokenStartupFilter>();
        services.AddOptions<DaprOptions>().BindConfiguration(DaprOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddDaprClient(client => client.UseJsonSerializationOptions(DaprJson.Options));
        services.AddActors(actors =>
        {
            actors.UseJsonSerialization = true;
            actors.JsonSerializerOptions = DaprJson.Options;
        });

        services.AddHealthChecks().AddCheck<SidecarHealthCheck>(SidecarHealthCheck.Name, tags: [MessengerTelemetry.ReadyTag]);
        services.AddSingleton<StateRecords>();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<HistoryCache>();
        services.AddSingleton<UserConversationIndex>();
        services.AddSingleton<IUserStore, DaprUserStore>();
        services.AddSingleton<IDeviceStore, DaprDeviceStore>();
        services.AddSingleton<IMessageStore, DaprMessageStore>();
        services.AddSingleton<IPresenceDirectory, DaprPresenceDirectory>();
        services.AddSingleton<ISessionStore, DaprSessionStore>();
        services.AddSingleton<IBlockStore, DaprBlockStore>();
        services.AddSingleton<IEventBus, DaprEventBus>();
        services.AddSingleton<ConversationActors>();
        services.AddSingleton<IConversationOwner, ActorConversationOwner>();

        // Media metadata is in the state store, so every app can check and attach media (a send with a mediaId) and
        // the media app keeps it. TryAdd: a host (or a test) may have put its own first.
        services.TryAddSingleton<IMediaStore, DaprMediaStore>();
        services.TryAddSingleton<IMediaCatalog, MediaCatalog>();
        return builder;
    }

    /// <summary>Subscribes this app to the dead-letter topic: each event given up on elsewhere is logged as an error.</summary>
    public static IHostApplicationBuilder AddDeadLetterLog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeadLetterLog>();
        return builder;
    }

    /// <summary>Hosts the <see cref="ConversationActor"/> (the messages app only).</summary>
    public static IHostApplicationBuilder AddConversationActors(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<global::Dapr.Actors.Runtime.ActorRuntimeOptions>(actors =>
            actors.Actors.RegisterActor<ConversationActor>(DaprNames.ConversationActorType));
        return builder;
    }

    /// <summary>Maps <c>/dapr/config</c> and the actor endpoints the sidecar calls (guarded by the app API token).</summary>
    public static IEndpointRouteBuilder MapConversationActors(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapActorsHandlers();
        return endpoints;
    }
}
