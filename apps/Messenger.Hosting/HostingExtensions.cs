using Messenger.Core.Errors;
using Messenger.Core.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http;
using KestrelServerOptions = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Messenger.Hosting.RateLimits;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messenger.Hosting;

/// <summary>What every Messenger app host has: JSON, auth, problem details, /healthz and the OpenAPI document.</summary>
public static class HostingExtensions
{
    public const string HealthPath = "/healthz";

    /// <summary>How long a client may take to send its request headers (the WebSocket upgrade is one) before it is cut off.</summary>
    public const string HandshakeTimeoutKey = "Messenger:HandshakeTimeout";

    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The largest body an endpoint that takes JSON accepts (<see cref="JsonBodyLimit"/>).</summary>
    public const string MaxJsonBodyBytesKey = "Messenger:MaxJsonBodyBytes";

    public static IHostApplicationBuilder AddMessengerHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);

        // A connection that opens and then sends its headers slowly or never holds a socket for nothing (slowloris);
        // Kestrel's own default is 30 s.
        var handshakeTimeout = builder.Configuration.GetValue(HandshakeTimeoutKey, DefaultHandshakeTimeout);
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.RequestHeadersTimeout = handshakeTimeout);
        builder.Services.ConfigureHttpJsonOptions(JsonSetup.Apply);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions.TryAdd("code", ChatErrorMapping.Code(c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode));
            c.ProblemDetails.Extensions.Remove("traceId");
        });
        builder.Services.AddExceptionHandler<ChatExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<ExceptionHandlerOptions>(o =>
            o.SuppressDiagnosticsCallback = c => c.Exception is ChatException or BadHttpRequestException);
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenApi();
        builder.AddMessengerAuthentication();
        builder.AddMessengerForwardedHeaders();
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations()
            .Validate(o => Enum.GetValues<RateLimitKind>().All(k => o.For(k) is { Burst: > 0, PerMinute: > 0 }), "Every rate limit needs Burst > 0 and PerMinute > 0.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ChatRateLimiter>();
        builder.Services.AddSingleton<LoginBackoff>();

        // Request lines carry the WebSocket's ?access_token=; they are never logged, whatever the configuration says.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.None);
        return builder;
    }

    public static WebApplication UseMessengerHosting(this WebApplication app)
    {
        app.UseMessengerForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var maxJsonBody = app.Configuration.GetValue(MaxJsonBodyBytesKey, JsonBodyLimit.DefaultMaxBytes);
        app.UseJsonBodyLimit(maxJsonBody >= 1024 ? maxJsonBody : throw new InvalidOperationException($"{MaxJsonBodyBytesKey} must be at least 1024."));
        app.UseAuthentication();
        app.UseAuthorization();
        // The process only, as always: what readiness depends on (tagged "ready") is for /healthz/ready.
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { Predicate = check => !check.Tags.Contains(MessengerTelemetry.ReadyTag) });
        app.MapOpenApi();
        return app;
    }
}
