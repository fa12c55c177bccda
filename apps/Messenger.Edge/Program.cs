using Messenger.Edge;
using Messenger.Hosting;
using Messenger.WebClient;

// The entry point of a multi-app run: one URL for the web client, the HTTP API, the WebSocket and media.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdge();
builder.AddMessengerTelemetry();

var app = builder.Build();
app.MapWebClient();
app.MapEdge();
app.Run();
