using Messenger.Dapr;
using Messenger.Dapr.Subscriptions;
using Messenger.Hosting;
using Messenger.Media;
using Messenger.Media.DaprHost;

// App id "media": uploads and downloads over HTTP; thumbnails are made when media-uploaded comes in. The metadata is
// in the state store, the blobs in the storage account whose connection string is in the secret store.
var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.AddMessengerTelemetry();
builder.AddDaprAdapters();
builder.AddMedia();
builder.AddMediaBlobSecret();

var app = builder.Build();
app.UseMessengerHosting();
app.MapMedia();
app.MapDaprSubscriptions();
app.Run();
