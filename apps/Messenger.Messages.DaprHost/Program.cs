using Messenger.Dapr;
using Messenger.Dapr.Subscriptions;
using Messenger.Hosting;
using Messenger.Messages;

// App id "messages": accounts, conversations and history over HTTP; hosts the ConversationActor; logs dead letters.
var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.AddMessengerTelemetry();
builder.AddDaprAdapters();
builder.AddMessages();
builder.AddConversationActors();
builder.AddDeadLetterLog();

var app = builder.Build();
app.UseMessengerHosting();
app.MapMessages();
app.MapConversationActors();
app.MapDaprSubscriptions();
app.Run();
