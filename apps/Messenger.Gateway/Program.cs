using Messenger.Embedded;
using Messenger.Gateway;
using Messenger.Hosting;
using Messenger.Messages;

var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.Services.AddEmbeddedAdapters();
builder.AddMessages();
builder.AddGateway();

var app = builder.Build();
app.UseMessengerHosting();
app.MapGateway();
app.Run();
