using Messenger.Embedded;
using Messenger.Hosting;
using Messenger.Messages;

var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.Services.AddEmbeddedAdapters();
builder.AddMessages();

var app = builder.Build();
app.UseMessengerHosting();
app.MapMessages();
app.Run();
