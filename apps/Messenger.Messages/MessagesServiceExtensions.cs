using Messenger.Core.Services;
using Messenger.Messages.Endpoints;
using Microsoft.Extensions.Options;

namespace Messenger.Messages;

/// <summary>The messages app: accounts, users, conversations and history. Ports come from the host.</summary>
public static class MessagesServiceExtensions
{
    public static IHostApplicationBuilder AddMessages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section)
            .Validate(o => o.MaxGroupMembers is >= 2 and <= 100_000, "MaxGroupMembers must be 2 to 100000.").ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatOptions>>().Value);
        builder.Services.AddSingleton<Router>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<ChatService>();
        builder.Services.AddSingleton<PresenceService>();
        builder.Services.AddOptions<PresenceSweepOptions>().BindConfiguration(PresenceSweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<PresenceSweeper>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app) =>
        app.MapAuthEndpoints()
            .MapUserEndpoints()
            .MapConversationEndpoints()
            .MapMessageEndpoints();
}
