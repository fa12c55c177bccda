using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Embedded.Bus;
using Messenger.Embedded.Owner;
using Messenger.Embedded.Presence;
using Messenger.Embedded.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Messenger.Embedded;

public static class EmbeddedServiceExtensions
{
    /// <summary>Every port on one-process adapters: SQLite in WAL mode, an in-process bus and presence directory.</summary>
    public static IServiceCollection AddEmbeddedAdapters(this IServiceCollection services)
    {
        services.AddOptions<EmbeddedOptions>().BindConfiguration(EmbeddedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<EmbeddedOptions>>().Value.DatabasePath));
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<IConversationStateStore, SqliteConversationStateStore>();
        services.AddSingleton<IMessageStore, SqliteMessageStore>();
        services.AddSingleton<IDeviceStore, SqliteDeviceStore>();
        services.AddSingleton<ITokenRevocationStore, SqliteTokenRevocationStore>();
        services.AddSingleton<ConversationEngine>();
        services.AddSingleton<IConversationOwner, SerialConversationOwner>();
        services.AddSingleton<InProcessEventBus>();
        services.AddSingleton<IEventBus>(sp => sp.GetRequiredService<InProcessEventBus>());
        services.AddSingleton<IPresenceDirectory>(sp => new InProcessPresenceDirectory(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<EmbeddedOptions>>().Value.GatewayLease));
        services.TryAddSingleton<IMediaCatalog, EmptyMediaCatalog>();
        return services;
    }
}
