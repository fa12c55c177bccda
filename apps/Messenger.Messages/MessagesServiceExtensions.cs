using Messenger.Core;
using Messenger.Core.Services;
using Messenger.Messages.Endpoints;

namespace Messenger.Messages;

/// <summary>The messages app: accounts, users, conversations and history, and the presence sweep. Ports come from the host.</summary>
public static class MessagesServiceExtensions
{
    public static IHostApplicationBuilder AddMessages(this IHostApplicationBuilder builder)
    {
        builder.AddMessengerCore();
        var services = builder.Services;
        services.AddSingleton<AccountService>();
        services.AddSingleton<MessageFanOut>();
        services.AddSingleton<SessionEndNotifier>();
        services.AddOptions<PresenceSweepOptions>().BindConfiguration(PresenceSweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<PresenceSweeper>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app) =>
        app.MapAuthEndpoints()
            .MapUserEndpoints()
            .MapConversationEndpoints()
            .MapMessageEndpoints()
            .MapMessageChangeEndpoints();
}
