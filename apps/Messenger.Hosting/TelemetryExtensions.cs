using Messenger.Core.Telemetry;
using Messenger.Hosting.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Messenger.Hosting;

/// <summary>OpenTelemetry for a Messenger host: one call in each Program.cs.</summary>
public static class TelemetryExtensions
{
    /// <summary>The standard variable of OpenTelemetry's SDKs: where OTLP goes. Unset, nothing is exported.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard variable of OpenTelemetry's SDKs naming the service.</summary>
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    /// <summary>Set to <c>true</c> by the .NET container images.</summary>
    public const string RunningInContainerKey = "DOTNET_RUNNING_IN_CONTAINER";

    /// <summary>Every meter and activity source of Messenger (<see cref="MessengerTelemetry.Name"/> and <c>Messenger.*</c>).</summary>
    private const string MessengerWildcard = MessengerTelemetry.Name + "*";

    /// <summary>
    /// Metrics (Messenger's, ASP.NET Core's, HttpClient's and the runtime's) served for Prometheus at <c>/metrics</c>;
    /// traces (Messenger's spans, ASP.NET Core, HttpClient and the gRPC client, W3C trace context in and out) when an
    /// OTLP endpoint is set or <see cref="TelemetryOptions.Tracing"/> is on; OTLP export of traces, metrics and logs
    /// only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; <c>/healthz/live</c> and <c>/healthz/ready</c>; log lines
    /// with their trace and span id, as JSON in a container.
    /// </summary>
    public static IHostApplicationBuilder AddMessengerTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var section = configuration.GetSection(TelemetryOptions.Section);
        var settings = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        var exporting = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

        builder.Services.AddHealthChecks();
        builder.Services.AddTransient<IStartupFilter, TelemetryStartupFilter>();
        ConfigureLogging(builder, settings, configuration);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME (the chart sets the app id) wins; without it, the host's assembly names the service.
                if (string.IsNullOrWhiteSpace(configuration[ServiceNameKey]))
                {
                    resource.AddService(builder.Environment.ApplicationName);
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(MessengerWildcard)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        if (exporting || settings.Tracing)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(MessengerWildcard)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperational(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation());
        }

        if (exporting)
        {
            telemetry.WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
            });
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Trace and span id on every log line (as a scope); the console writes JSON lines in a container.</summary>
    private static void ConfigureLogging(IHostApplicationBuilder builder, TelemetryOptions settings, IConfiguration configuration)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var json = settings.JsonLogs ?? string.Equals(configuration[RunningInContainerKey], bool.TrueString, StringComparison.OrdinalIgnoreCase);
        if (json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
    }

    /// <summary>Probes and scrapes: no span for them (they come every few seconds and say nothing about a message).</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments(HostingExtensions.HealthPath) || path.StartsWithSegments(TelemetryPaths.Metrics);
}
