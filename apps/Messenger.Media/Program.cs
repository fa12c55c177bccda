using Messenger.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();

var app = builder.Build();
app.UseMessengerHosting();
app.Run();
