using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Core.Telemetry;
using Messenger.Embedded.Bus;
using Messenger.Embedded.Owner;
using Messenger.Embedded.Presence;
using Messenger.Embedded.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Embedded;

public static class EmbeddedServiceExtensions
{
    /// <summary>
    /// Every port on one-process adapters: SQLite in WAL mode (messages, users, devices, media metadata), a serial
    /// owner per conversation, an in-process presence directory, and an in-process bus to which every subscription
    /// the apps declared is bound as soon as the bus exists (before anything can publish to it).
    /// </summary>
    public static IHostApplicationBuilder AddEmbeddedAdapters(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmbeddedOptions>().BindConfiguration(EmbeddedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddedOptions>>().Value;
            return new SqliteDatabase(
                options.DatabasePath, sp.GetRequiredService<ILogger<SqliteDatabase>>(), options.MessageLogMergeRows, options.MessageLogMergeInterval, options.GroupCommitInterval);
        });
        services.AddHealthChecks().AddCheck<SqliteHealthCheck>(SqliteHealthCheck.Name, tags: [MessengerTelemetry.ReadyTag]);
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<IConversationStateStore, SqliteConversationStateStore>();
        services.AddSingleton<IMessageStore, SqliteMessageStore>();
        services.AddSingleton<IDeviceStore, SqliteDeviceStore>();
        services.AddSingleton<ISessionStore, SqliteSessionStore>();
        services.AddSingleton<IBlockStore, SqliteBlockStore>();
        services.AddSingleton<IMediaStore, SqliteMediaStore>();
        services.AddSingleton<IMediaCatalog, MediaCatalog>();
        services.AddSingleton<ConversationEngine>();
        services.AddSingleton<IConversationOwner, SerialConversationOwner>();
        services.AddSingleton(CreateBus);
        services.AddSingleton<IEventBus>(sp => sp.GetRequiredService<InProcessEventBus>());
        services.AddSingleton<IPresenceDirectory>(sp => new InProcessPresenceDirectory(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<EmbeddedOptions>>().Value.GatewayLease));
        return builder;
    }

    /// <summary>The bus, with the declared subscriptions bound for as long as it lives (it is disposed with the host).</summary>
    private static InProcessEventBus CreateBus(IServiceProvider services)
    {
        var bus = new InProcessEventBus(services.GetRequiredService<ILogger<InProcessEventBus>>());
        bus.Bind(services);
        return bus;
    }
}
