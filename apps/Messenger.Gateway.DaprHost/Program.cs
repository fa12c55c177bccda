using Messenger.Dapr;
using Messenger.Dapr.Subscriptions;
using Messenger.Gateway;
using Messenger.Hosting;

// App id "gateway": clients' WebSockets; sends go to the ConversationActor, deliveries come in on this instance's topic.
var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.AddMessengerTelemetry();
builder.AddDaprAdapters();
builder.AddGateway();

var app = builder.Build();
app.UseMessengerHosting();
app.MapGateway();
app.MapDaprSubscriptions();
app.Run();
