using Messenger.Dapr;
using Messenger.Dapr.Subscriptions;
using Messenger.Hosting;
using Messenger.Push;

// App id "push": device tokens over HTTP; push requests come in on the push-requests topic.
var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.AddMessengerTelemetry();
builder.AddDaprAdapters();
builder.AddPush();

var app = builder.Build();
app.UseMessengerHosting();
app.MapPush();
app.MapDaprSubscriptions();
app.Run();
