using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// Times every request a double answers (<see cref="HopTimings"/>): its kind from the path, its time less what the
/// handler marked as spent waiting on the app or on an actor's turn (<see cref="Exclude"/>).
/// </summary>
internal static class HopClock
{
    private const string GrpcPrefix = "/" + DaprServiceBase.ServiceName + "/";
    private static readonly object Excluded = new();

    public static async Task TimeAsync(HttpContext context, RequestDelegate next, SidecarRuntime runtime)
    {
        var start = Stopwatch.GetTimestamp();
        await next(context);
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (context.Items.TryGetValue(Excluded, out var excluded) && excluded is TimeSpan waited)
        {
            elapsed -= waited;
        }

        runtime.Infrastructure.Hops.Record(Kind(context.Request.Path), elapsed);
    }

    /// <summary>Marks time of this request spent outside the double (the app answering, an actor's turn awaited).</summary>
    public static void Exclude(HttpContext context, TimeSpan waited) =>
        context.Items[Excluded] = (context.Items.TryGetValue(Excluded, out var before) && before is TimeSpan sum ? sum : TimeSpan.Zero) + waited;

    private static string Kind(PathString path)
    {
        var value = path.Value ?? string.Empty;
        if (value.StartsWith(GrpcPrefix, StringComparison.Ordinal))
        {
            return "grpc " + value[GrpcPrefix.Length..];
        }

        if (value.StartsWith("/v1.0/actors/", StringComparison.Ordinal))
        {
            return value.Contains("/method/", StringComparison.Ordinal) ? "http actor method" : "http actor state";
        }

        return "http other";
    }
}
