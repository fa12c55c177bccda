using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Messenger.Sidecar.Actors;
using Messenger.Sidecar.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// daprd's HTTP API as the Dapr .NET SDK uses it: health, actor method invocation (placed and turn-based), the
/// actor runtime's state reads and transactions, and metadata. Anything else is logged loudly and answered 404.
/// </summary>
public static class DaprHttpApi
{
    private const string ActorPrefix = "/v1.0/actors/{actorType}/{actorId}";
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Host, HeaderNames.ContentLength, HeaderNames.Connection, HeaderNames.TransferEncoding, AppChannel.ApiTokenHeader,
    };

    public static void Map(IEndpointRouteBuilder endpoints, SidecarRuntime runtime)
    {
        endpoints.MapGet("/v1.0/healthz", (HttpContext context) => runtime.Ready
            ? Results.NoContent()
            : Error(new DaprApiException(Grpc.Core.StatusCode.Internal, 500, "ERR_HEALTH_NOT_READY", "dapr is not ready: [app]")));
        endpoints.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
        endpoints.MapMethods(ActorPrefix + "/method/{method}", ["GET", "POST", "PUT", "DELETE"], (HttpContext context, string actorType, string actorId, string method) =>
            InvokeActorAsync(context, runtime, actorType, actorId, method));
        endpoints.MapGet(ActorPrefix + "/state/{key}", (HttpContext context, string actorType, string actorId, string key) =>
            GetActorState(context, runtime, actorType, actorId, key));
        endpoints.MapMethods(ActorPrefix + "/state", ["PUT", "POST"], (HttpContext context, string actorType, string actorId) =>
            SaveActorStateAsync(context, runtime, actorType, actorId));
        endpoints.MapGet("/v1.0/metadata", () => Results.Json(new
        {
            id = runtime.AppId,
            instance = runtime.Name,
            actors = runtime.ActorTypes,
            components = runtime.Components.Select(c => new { name = c.Name, type = c.Type, version = "v1" }),
            subscriptions = runtime.Subscriptions.Select(s => new { pubsubname = s.PubSub, topic = s.Topic, route = s.Route, deadLetterTopic = s.DeadLetterTopic }),
        }));
        endpoints.MapFallback((HttpContext context) =>
        {
            SidecarLog.UnknownHttp(runtime.Logger, runtime.Name, context.Request.Method, context.Request.Path + context.Request.QueryString);
            return Results.Json(new { errorCode = "ERR_NOT_FOUND", message = $"method \"{context.Request.Path}\" is not found" }, statusCode: 404);
        });
    }

    private static async Task InvokeActorAsync(HttpContext context, SidecarRuntime runtime, string actorType, string actorId, string method)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        runtime.Count(Operation.ActorCall);
        HttpResponseMessage response;
        try
        {
            var asked = Stopwatch.GetTimestamp();
            response = await runtime.Infrastructure.Placement.InvokeAsync(actorType, actorId, async (host, cancellationToken) =>
            {
                var turn = Stopwatch.GetElapsedTime(asked);
                runtime.Infrastructure.Hops.Record("actor turn wait", turn);
                HopClock.Exclude(context, turn);
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/actors/{Uri.EscapeDataString(actorType)}/{Uri.EscapeDataString(actorId)}/method/{Uri.EscapeDataString(method)}")
                {
                    Content = new ByteArrayContent(body),
                };
                foreach (var (name, values) in context.Request.Headers)
                {
                    if (NotForwarded.Contains(name))
                    {
                        continue;
                    }

                    if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                    {
                        request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                    }
                }

                var sent = Stopwatch.GetTimestamp();
                try
                {
                    return await host.Channel.SendAsync(request, cancellationToken);
                }
                finally
                {
                    HopClock.Exclude(context, Stopwatch.GetElapsedTime(sent));
                }
            }, context.RequestAborted);
        }
        catch (ActorNotHostedException error)
        {
            await WriteErrorAsync(context, new DaprApiException(Grpc.Core.StatusCode.Internal, 500, "ERR_ACTOR_INVOKE_METHOD", $"error invoke actor method: {error.Message}"), runtime);
            return;
        }
        catch (HttpRequestException error)
        {
            await WriteErrorAsync(context, new DaprApiException(Grpc.Core.StatusCode.Internal, 500, "ERR_ACTOR_INVOKE_METHOD", $"error invoke actor method: {error.Message}"), runtime);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!NotForwarded.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static IResult GetActorState(HttpContext context, SidecarRuntime runtime, string actorType, string actorId, string key)
    {
        try
        {
            var store = LocalActorStore(runtime, actorType, actorId);
            var entry = store.Get(runtime.ActorStateKey(actorType, actorId, key));
            runtime.CountKeys(Operation.ActorStateRead, [key]);
            if (entry is null)
            {
                return Results.NoContent();
            }

            if (entry.ExpiresAt is { } at)
            {
                context.Response.Headers["Metadata.ttlExpireTime"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            }

            return Results.Bytes(entry.Value, "application/json");
        }
        catch (DaprApiException error)
        {
            SidecarLog.Refused(runtime.Logger, runtime.Name, "actor state", error.Message);
            return Error(error);
        }
    }

    private static async Task<IResult> SaveActorStateAsync(HttpContext context, SidecarRuntime runtime, string actorType, string actorId)
    {
        try
        {
            var store = LocalActorStore(runtime, actorType, actorId);
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var operations = new List<StateOperation>();
            var names = new List<string>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var kind = item.GetProperty("operation").GetString();
                var request = item.GetProperty("request");
                var name = request.GetProperty("key").GetString()!;
                names.Add(name);
                var key = runtime.ActorStateKey(actorType, actorId, name);
                int? ttl = request.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                           && metadata.TryGetProperty("ttlInSeconds", out var t) && int.TryParse(t.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                    ? seconds
                    : null;
                operations.Add(kind switch
                {
                    "upsert" => new StateOperation(key, request.TryGetProperty("value", out var v) ? System.Text.Encoding.UTF8.GetBytes(v.GetRawText()) : [], null, StateConcurrency.LastWrite, ttl),
                    "delete" => new StateOperation(key, null, null, StateConcurrency.LastWrite, null),
                    _ => throw new DaprApiException(Grpc.Core.StatusCode.Unimplemented, 400, "ERR_MALFORMED_REQUEST", $"operation type {kind} not supported"),
                });
            }

            runtime.CountKeys(Operation.ActorStateWrite, names);
            try
            {
                store.Apply(operations);
            }
            catch (StateStoreException error)
            {
                throw new DaprApiException(Grpc.Core.StatusCode.Internal, 500, "ERR_ACTOR_STATE_TRANSACTION_SAVE", $"error saving actor transaction state: {error.Message}");
            }

            return Results.NoContent();
        }
        catch (DaprApiException error)
        {
            SidecarLog.Refused(runtime.Logger, runtime.Name, "actor state", error.Message);
            return Error(error);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Error(new DaprApiException(Grpc.Core.StatusCode.InvalidArgument, 400, "ERR_MALFORMED_REQUEST", $"failed deserializing HTTP body: {error.Message}"));
        }
    }

    /// <summary>The actor store, if the actor belongs on this very instance (daprd answers state calls for actors it
    /// does not host with ERR_ACTOR_INSTANCE_MISSING).</summary>
    private static StateStore LocalActorStore(SidecarRuntime runtime, string actorType, string actorId)
    {
        var store = runtime.ActorStateStore();
        if (runtime.Infrastructure.Placement.Locate(actorType, actorId)?.InstanceName != runtime.Name)
        {
            throw new DaprApiException(Grpc.Core.StatusCode.Internal, 400, "ERR_ACTOR_INSTANCE_MISSING", "actor instance is missing");
        }

        return store;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static IResult Error(DaprApiException error) =>
        Results.Json(new { errorCode = error.ErrorCode, message = error.Message }, statusCode: error.HttpStatus);

    private static async Task WriteErrorAsync(HttpContext context, DaprApiException error, SidecarRuntime runtime)
    {
        SidecarLog.Refused(runtime.Logger, runtime.Name, "actor call", error.Message);
        context.Response.StatusCode = error.HttpStatus;
        await context.Response.WriteAsJsonAsync(new { errorCode = error.ErrorCode, message = error.Message }, context.RequestAborted);
    }
}
