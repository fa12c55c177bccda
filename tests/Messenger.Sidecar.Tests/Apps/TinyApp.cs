using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Tests.Apps;

/// <summary>The app the runner test starts: serves /healthz on APP_PORT and writes what it was given (its
/// environment) to env.txt in its working directory.</summary>
public static class TinyApp
{
    private static readonly string[] Variables = ["APP_ID", "APP_PORT", "DAPR_HTTP_PORT", "DAPR_GRPC_PORT", "COMMON_VAR", "APP_VAR", "APP_API_TOKEN", "PEER_URL"];

    public static async Task<int> RunAsync()
    {
        var port = int.Parse(Environment.GetEnvironmentVariable("APP_PORT") ?? throw new InvalidOperationException("APP_PORT is not set"), System.Globalization.CultureInfo.InvariantCulture);
        var lines = Variables
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}");
        await File.WriteAllLinesAsync(Path.Combine(Directory.GetCurrentDirectory(), $"env-{Environment.GetEnvironmentVariable("APP_ID")}-{port}.txt"), lines);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        await app.RunAsync();
        return 0;
    }
}
