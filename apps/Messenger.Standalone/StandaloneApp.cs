using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Embedded;
using Messenger.Embedded.Bus;
using Messenger.Gateway;
using Messenger.Hosting;
using Messenger.Media;
using Messenger.Messages;
using Messenger.Push;
using Messenger.WebClient;

namespace Messenger.Standalone;

/// <summary>The four apps and the web client in one process on embedded adapters.</summary>
public static class StandaloneApp
{
    public static WebApplication Build(string[] args) => Build(args, null);

    /// <summary>
    /// The host, with <paramref name="services"/> applied last (a test puts its own clock in place of the system's).
    /// </summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? services)
    {
        // Settings files sit beside the binaries, wherever it is started from; data stays relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddStandaloneDefaults();
        builder.AddMessengerHosting();
        builder.AddMessengerTelemetry();
        builder.AddEmbeddedAdapters();
        builder.AddMessages();
        builder.AddGateway();
        builder.AddPush();
        builder.AddMedia();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseMessengerHosting();
        app.MapWebClient();
        app.MapMessages();
        app.MapGateway();
        app.MapPush();
        app.MapMedia();
        return app;
    }

    /// <summary>
    /// One more gateway instance on its own port, in front of the same backend as <paramref name="backend"/>: the
    /// same presence directory, bus and services, as a second gateway server would be behind a load balancer.
    /// </summary>
    public static WebApplication BuildExtraGateway(IServiceProvider backend, string[] args)
    {
        // The backend's clock too: sessions and tokens are judged on one time.
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMessengerHosting();
        builder.AddGateway();
        builder.Services.AddSingleton(backend.GetRequiredService<ChatService>());
        builder.Services.AddSingleton(backend.GetRequiredService<MessageChangeService>());
        builder.Services.AddSingleton(backend.GetRequiredService<PresenceService>());
        builder.Services.AddSingleton(backend.GetRequiredService<IPresenceDirectory>());
        builder.Services.AddSingleton(backend.GetRequiredService<ISessionStore>());
        builder.Services.AddSingleton(backend.GetRequiredService<TimeProvider>());
        builder.Services.AddHostedService(services => new SharedBusSubscriptions(backend.GetRequiredService<InProcessEventBus>(), services));

        var app = builder.Build();
        app.UseMessengerHosting();
        app.MapGateway();
        return app;
    }
}
