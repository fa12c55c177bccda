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
        services.AddSingleton(PasswordPolicyFrom(builder));
        services.AddSingleton<AccountService>();
        services.AddSingleton<MessageFanOut>();
        services.AddSingleton<SessionEndNotifier>();
        services.AddOptions<PresenceSweepOptions>().BindConfiguration(PresenceSweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<PresenceSweeper>();
        return builder;
    }

    /// <summary>
    /// <c>Messenger:Auth:PasswordIterations</c> lowers the PBKDF2 rounds of new hashes for a load test that registers
    /// thousands of users on one machine (tests/Messenger.LoadTests/run-scale-test.sh); outside Development the host
    /// refuses to start with it.
    /// </summary>
    public static PasswordPolicy PasswordPolicyFrom(IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetValue<int?>(PasswordIterationsKey);
        if (configured is null)
        {
            return PasswordPolicy.Default;
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException($"{PasswordIterationsKey} is for load tests: Development only.");
        }

        return new PasswordPolicy(configured.Value);
    }

    public const string PasswordIterationsKey = "Messenger:Auth:PasswordIterations";

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app) =>
        app.MapAuthEndpoints()
            .MapUserEndpoints()
            .MapConversationEndpoints()
            .MapMessageEndpoints()
            .MapMessageChangeEndpoints();
}
