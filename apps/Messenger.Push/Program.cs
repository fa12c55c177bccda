using Messenger.Embedded;
using Messenger.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.Services.AddEmbeddedAdapters();
builder.AddPush();

var app = builder.Build();
app.UseMessengerHosting();
app.MapPushEndpoints();
app.Run();
