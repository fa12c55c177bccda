using Messenger.Core.Events;
using Messenger.Dapr;
using Messenger.Dapr.Subscriptions;
using Messenger.Hosting;

// App id "push": device tokens over HTTP; push requests come in on the push-requests topic.
var builder = WebApplication.CreateBuilder(args);
builder.AddMessengerHosting();
builder.AddDaprAdapters();
builder.AddPush();

var app = builder.Build();
app.UseMessengerHosting();
app.MapPushEndpoints();
app.MapDaprSubscriptions()
    .Topic<PushRequested>(
        Topics.PushRequests,
        DaprRoutes.PushRequests,
        (services, request, cancellationToken) => services.GetRequiredService<PushRequestHandler>().HandleAsync(request, cancellationToken));
app.Run();
