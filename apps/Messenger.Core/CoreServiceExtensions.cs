using Messenger.Core.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Messenger.Core;

public static class CoreServiceExtensions
{
    /// <summary>
    /// What several apps share, registered once: <see cref="ChatService"/>, <see cref="MessageChangeService"/>, <see cref="BlockService"/>, <see cref="PresenceService"/>,
    /// <see cref="Router"/> and <see cref="ChatOptions"/> (validated at start). The ports come from an adapter set.
    /// Every app that needs them calls this; a second call adds nothing.
    /// </summary>
    public static IHostApplicationBuilder AddMessengerCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ChatService)))
        {
            return builder;
        }

        services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section)
            .Validate(o => o.MaxGroupMembers is >= 2 and <= 100_000, "MaxGroupMembers must be 2 to 100000.")
            .Validate(o => o.EditWindow > TimeSpan.Zero && o.EditWindow <= TimeSpan.FromDays(365), "EditWindow must be more than 0 and at most 365 days.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Router>();
        services.AddSingleton<ChatService>();
        services.AddSingleton<MessageChangeService>();
        services.AddSingleton<BlockService>();
        services.AddSingleton<PresenceService>();
        return builder;
    }
}
