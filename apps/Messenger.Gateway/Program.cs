using Messenger.Core.Events;
using Messenger.Dapr;
using Messenger.Dapr.Subscriptions;
using Messenger.Gateway;
using Messenger.Hosting;
using Messenger.Messages;

// App id "gateway": clients' WebSockets; sends go to the ConversationActor, deliveries come in on this instance's topic.
var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.AddDaprAdapters();
builder.AddMessages();
builder.AddGateway();

var app = builder.Build();
app.UseMessengerHosting();
app.MapGateway();
app.MapDaprSubscriptions()
    .Topic<DeliveryRequested>(
        Topics.Gateway(app.Services.GetRequiredService<GatewayInstance>().Id),
        DaprRoutes.Gateway,
        (services, delivery, cancellationToken) => services.GetRequiredService<GatewayDeliveryHandler>().HandleAsync(delivery, cancellationToken));
app.Run();
