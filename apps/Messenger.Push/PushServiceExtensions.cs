using System.Net;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Subscriptions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Messenger.Push;

public static class PushServiceExtensions
{
    /// <summary>Name of the resilience pipeline of the FCM HttpClient.</summary>
    public const string ResiliencePipelineName = "fcm-send";

    /// <summary>
    /// Registers <see cref="FcmOptions"/> (validated at start), <see cref="PushRequestHandler"/> (subscribed to
    /// <c>push-requests</c>, and a hosted service for the pushes it holds back) and, when both ProjectId and CredentialsFile are configured, <see cref="FcmPushSender"/> as
    /// <see cref="IPushSender"/> with its resilient HttpClient. Without them no <see cref="IPushSender"/> is registered
    /// and the handler says once that push is off. The host registers <see cref="IDeviceStore"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPush(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<FcmOptions>().BindConfiguration(FcmOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FcmOptions>, FcmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var configured = builder.Configuration.GetSection(FcmOptions.SectionName).Get<FcmOptions>() ?? new FcmOptions();
        if (configured.IsConfigured)
        {
            AddFcmSender(services);
        }

        services.AddSubscription<PushRequested, PushRequestHandler>(Topics.PushRequests);
        services.AddHostedService(provider => provider.GetRequiredService<PushRequestHandler>());
        return builder;
    }

    private static void AddFcmSender(IServiceCollection services)
    {
        services.TryAddSingleton<FcmAccessTokenSource>();
        services.TryAddSingleton<IPushSender>(provider => new FcmPushSender(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<FcmAccessTokenSource>(),
            provider.GetRequiredService<IOptions<FcmOptions>>(),
            provider.GetRequiredService<ILogger<FcmPushSender>>()));

        // Outermost first: a limit on the whole send, retries of 429 / 5xx / network errors with exponential backoff
        // and jitter (a Retry-After header sets the delay instead), and a limit on each attempt.
        services.AddHttpClient(FcmPushSender.HttpClientName)
            .AddResilienceHandler(ResiliencePipelineName, static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<FcmOptions>>().Value;
                pipeline.AddTimeout(options.TotalTimeout);
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryBaseDelay,
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    });
                }

                pipeline.AddTimeout(options.AttemptTimeout);
            });
    }

    /// <summary>What is worth another attempt: 429, any 5xx, a network error or an attempt that timed out.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        _ => false,
    };

    /// <summary>Maps <c>POST /api/devices</c> and <c>DELETE /api/devices/{token}</c> (see <see cref="PushEndpoints"/>).</summary>
    public static IEndpointRouteBuilder MapPush(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        PushEndpoints.Map(endpoints);
        return endpoints;
    }
}
