using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// One sidecar double serving one app: the gRPC API on its gRPC port (HTTP/2 without TLS, as daprd), the HTTP API on
/// its HTTP port, both on 127.0.0.1, over the shared <see cref="Infrastructure"/>. Once started it waits for the app
/// and reads its configuration in the background (<see cref="Connected"/>).
/// </summary>
public sealed class SidecarHost : IAsyncDisposable
{
    private const string GrpcPathPrefix = "/" + DaprServiceBase.ServiceName + "/";
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();

    private SidecarHost(WebApplication app, SidecarRuntime runtime)
    {
        this.app = app;
        Runtime = runtime;
    }

    public SidecarRuntime Runtime { get; }

    public Uri HttpEndpoint => new($"http://127.0.0.1:{Runtime.Options.HttpPort}");

    public Uri GrpcEndpoint => new($"http://127.0.0.1:{Runtime.Options.GrpcPort}");

    /// <summary>Completes when the app's configuration was read (or the app never came).</summary>
    public Task Connected { get; private set; } = Task.CompletedTask;

    public static async Task<SidecarHost> StartAsync(SidecarOptions options, Infrastructure infrastructure, CancellationToken cancellationToken)
    {
        AppChannel? channel = null;
        if (options.AppPort is { } appPort)
        {
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{appPort}"), Timeout = Timeout.InfiniteTimeSpan };
            channel = new AppChannel(http, options.AppApiToken);
        }

        var runtime = new SidecarRuntime(options, infrastructure, channel);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SidecarHost).Assembly.GetName().Name, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
            kestrel.Listen(IPAddress.Loopback, options.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        builder.Services.AddSingleton(runtime);
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddRoutingCore();

        var app = builder.Build();
        app.Use((context, next) => HopClock.TimeAsync(context, next, runtime));
        app.Use((context, next) => GuardAsync(context, next, runtime));
        app.UseRouting();
        app.MapGrpcService<DaprGrpcService>().RequireHost($"*:{options.GrpcPort}");
        var http1 = app.MapGroup(string.Empty).RequireHost($"*:{options.HttpPort}");
        DaprHttpApi.Map(http1, runtime);

        await app.StartAsync(cancellationToken);
        var host = new SidecarHost(app, runtime);
        host.Connected = Task.Run(() => runtime.ConnectAsync(host.stopping.Token), CancellationToken.None);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await Connected;
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        stopping.Dispose();
    }

    /// <summary>Path cleaning, the API token check (DAPR_API_TOKEN; health exempt, as in daprd) and the loud log of
    /// gRPC calls the double does not implement.</summary>
    private static Task GuardAsync(HttpContext context, Func<Task> next, SidecarRuntime runtime)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.Contains("//", StringComparison.Ordinal) || (path.Length > 1 && path.EndsWith('/')))
        {
            // daprd cleans double slashes and strips a trailing slash before routing (CleanPath, StripSlashes).
            path = "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
            context.Request.Path = path;
        }

        var grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        var token = runtime.Options.ApiToken;
        if (!string.IsNullOrEmpty(token))
        {
            var exempt = HttpMethods.IsGet(context.Request.Method) && path.TrimEnd('/') is "/v1.0/healthz" or "/v1.0/healthz/outbound";
            var given = context.Request.Headers[AppChannel.ApiTokenHeader].ToString();
            if (!exempt && given != token)
            {
                SidecarLog.TokenRejected(runtime.Logger, runtime.Name, path);
                if (grpc)
                {
                    // A trailers-only gRPC answer: Unauthenticated, daprd's message.
                    context.Response.ContentType = "application/grpc";
                    context.Response.Headers["grpc-status"] = "16";
                    context.Response.Headers["grpc-message"] = string.IsNullOrEmpty(given) ? "missing api token in request metadata" : "authentication error: api token mismatch";
                    return Task.CompletedTask;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return context.Response.WriteAsync("invalid api token\n", context.RequestAborted);
            }
        }

        if (grpc && (!path.StartsWith(GrpcPathPrefix, StringComparison.Ordinal) || !DaprServiceBase.Implemented.Contains(path[GrpcPathPrefix.Length..])))
        {
            SidecarLog.UnknownGrpc(runtime.Logger, runtime.Name, path);
        }

        return next();
    }
}
