using Messenger.Core;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Subscriptions;
using Messenger.Gateway.Connections;

namespace Messenger.Gateway;

/// <summary>The gateway app: WebSocket connections of this instance and delivery to them.</summary>
public static class GatewayServiceExtensions
{
    /// <summary>Subscription name of a gateway's own topic, <c>gateway.{instanceId}</c>.</summary>
    public const string DeliverySubscription = "gateway";

    /// <summary>Subscription name of a gateway's session topic, <c>gateway.{instanceId}.sessions</c>.</summary>
    public const string SessionsSubscription = "gateway-sessions";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.AddMessengerCore();
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GatewayInstance>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSubscription<DeliveryRequested, GatewayDeliveryHandler>(
            DeliverySubscription, static provider => Topics.Gateway(provider.GetRequiredService<GatewayInstance>().Id), handsOff: true);
        services.AddSingleton<ILocalDelivery, LocalDelivery>();
        services.AddSubscription<SessionEnded, SessionEndedHandler>(
            SessionsSubscription, static provider => Topics.GatewaySessions(provider.GetRequiredService<GatewayInstance>().Id), handsOff: true);
        services.AddHostedService<SessionWatch>();
        services.AddHostedService<PresenceLeaseRenewer>();
        services.AddHostedService<GatewayDrain>();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.Services.GetRequiredService<GatewayMetrics>();
        app.UseWebSockets();
        app.MapWebSocketEndpoints();
        return app;
    }
}
