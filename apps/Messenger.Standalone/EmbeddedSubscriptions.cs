using Messenger.Core.Events;
using Messenger.Embedded.Bus;
using Messenger.Gateway;
using Messenger.Push;

namespace Messenger.Standalone;

/// <summary>
/// Connects handlers to the in-process bus the way Dapr subscriptions do in the distributed setup: this gateway
/// instance to its own topic, the push handler to push requests.
/// </summary>
public sealed partial class EmbeddedSubscriptions(
    InProcessEventBus bus, IServiceProvider services, ILogger<EmbeddedSubscriptions> logger) : IHostedService, IAsyncDisposable
{
    private readonly List<IAsyncDisposable> subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var gateway = services.GetRequiredService<GatewayInstance>();
        var delivery = services.GetRequiredService<GatewayDeliveryHandler>();
        subscriptions.Add(bus.Subscribe<DeliveryRequested>(Topics.Gateway(gateway.Id), delivery.HandleAsync, e => HandlerFailed(logger, e, Topics.Gateway(gateway.Id)), inline: true));
        if (services.GetService<PushRequestHandler>() is { } push)
        {
            subscriptions.Add(bus.Subscribe<PushRequested>(Topics.PushRequests, push.HandleAsync, e => HandlerFailed(logger, e, Topics.PushRequests)));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        subscriptions.Clear();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of topic {Topic} failed")]
    private static partial void HandlerFailed(ILogger logger, Exception exception, string topic);
}
