using Messenger.Gateway.Connections;

namespace Messenger.Gateway;

/// <summary>The gateway app: WebSocket connections of this instance and delivery to them.</summary>
public static class GatewayServiceExtensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<GatewayInstance>();
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<GatewayDeliveryHandler>();
        builder.Services.AddHostedService<PresenceLeaseRenewer>();
        builder.Services.AddHostedService<GatewayDrain>();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapWebSocketEndpoints();
        return app;
    }
}
