using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Embedded;
using Messenger.Embedded.Bus;
using Messenger.Gateway;
using Messenger.Hosting;
using Messenger.Messages;
using Messenger.Push;

namespace Messenger.Standalone;

/// <summary>The four apps in one process on embedded adapters.</summary>
public static class StandaloneApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddStandaloneDefaults();
        builder.AddMessengerHosting();
        builder.Services.AddEmbeddedAdapters();
        builder.AddMessages();
        builder.AddGateway();
        builder.AddPush();
        builder.Services.AddHostedService<EmbeddedSubscriptions>();

        var app = builder.Build();
        app.UseMessengerHosting();
        app.MapMessages();
        app.MapGateway();
        app.MapPushEndpoints();
        return app;
    }

    /// <summary>
    /// One more gateway instance on its own port, in front of the same backend as <paramref name="backend"/>: the
    /// same presence directory, bus and services, as a second gateway server would be behind a load balancer.
    /// </summary>
    public static WebApplication BuildExtraGateway(IServiceProvider backend, string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMessengerHosting();
        builder.AddGateway();
        builder.Services.AddSingleton(backend.GetRequiredService<ChatService>());
        builder.Services.AddSingleton(backend.GetRequiredService<PresenceService>());
        builder.Services.AddSingleton(backend.GetRequiredService<IPresenceDirectory>());
        builder.Services.AddSingleton(backend.GetRequiredService<InProcessEventBus>());
        builder.Services.AddHostedService<EmbeddedSubscriptions>();

        var app = builder.Build();
        app.UseMessengerHosting();
        app.MapGateway();
        return app;
    }
}
