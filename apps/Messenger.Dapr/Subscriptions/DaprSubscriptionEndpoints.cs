using System.Diagnostics;
using System.Text.Json;
using Messenger.Core.Events;
using Messenger.Core.Subscriptions;
using Messenger.Core.Telemetry;
using Messenger.Dapr.Bus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messenger.Dapr.Subscriptions;

public static class DaprSubscriptionEndpoints
{
    /// <summary>
    /// Binds every <see cref="Subscription"/> the app declared to Dapr pub/sub: <c>GET /dapr/subscribe</c> lists them
    /// (programmatic subscriptions: a gateway's topic is known only once its instance id is), each with the dead-letter
    /// topic, and each gets a POST route that reads the CloudEvent and hands its data to the handler. With
    /// <see cref="DeadLetterLog"/> registered, the dead-letter topic is subscribed to as well. Only the sidecar reaches
    /// these routes: <see cref="Security.AppApiTokenMiddleware"/> guards them.
    /// </summary>
    public static WebApplication MapDaprSubscriptions(this WebApplication app)
    {
        var subscriptions = new List<DaprSubscription>();
        foreach (var declared in app.Services.GetServices<Subscription>())
        {
            var topic = declared.TopicOf(app.Services);
            var route = DaprRoutes.For(declared.Name);
            subscriptions.Add(new DaprSubscription(DaprNames.PubSub, topic, route, Topics.DeadLetter));
            app.MapPost(route, (HttpContext context, ILogger<Subscription> logger) => DeliverAsync(context, declared, topic, logger))
                .AllowAnonymous().ExcludeFromDescription();
        }

        if (app.Services.GetService<DeadLetterLog>() is not null)
        {
            subscriptions.Add(new DaprSubscription(DaprNames.PubSub, Topics.DeadLetter, DaprRoutes.DeadLetters, null));
            app.MapPost(DaprRoutes.DeadLetters, LogDeadLetterAsync).AllowAnonymous().ExcludeFromDescription();
        }

        app.MapGet(DaprRoutes.Subscribe, () => TypedResults.Json(subscriptions))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> DeliverAsync(HttpContext context, Subscription declared, string topic, ILogger logger)
    {
        var cancellationToken = context.RequestAborted;
        var cloudEvent = await CloudEvent.ReadAsync(context.Request, cancellationToken);
        var @event = Deserialize(cloudEvent?.Data, declared.EventType);
        if (@event is null)
        {
            DaprLog.EventUnreadable(logger, cloudEvent?.Id ?? string.Empty, topic, declared.EventType.Name);
            return TypedResults.Json(TopicStatus.Drop);
        }

        using var span = MessengerTelemetry.StartProcess(DaprEventBus.MessagingSystem, topic, TraceParentOf(cloudEvent));
        try
        {
            await declared.Deliver(context.RequestServices, @event, cancellationToken);
            return TypedResults.Json(TopicStatus.Success);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error);
            DaprLog.HandlerFailed(logger, e, cloudEvent!.Id, topic);
            return TypedResults.Json(TopicStatus.Retry);
        }
    }

    /// <summary>
    /// What the handling of an event is a child of. Dapr sends the trace context as a <c>traceparent</c> header with
    /// each delivery; the request's span continues it (ASP.NET Core reads the header), and the handling is its child.
    /// Without that header (a delivery from elsewhere, or no request span), the CloudEvent's own <c>traceparent</c>,
    /// the publisher's, is the parent.
    /// </summary>
    private static ActivityContext TraceParentOf(CloudEvent? cloudEvent)
    {
        // The request's span has a parent only when the delivery came with a traceparent header.
        if (Activity.Current is { } request && request.ParentSpanId != default)
        {
            return request.Context;
        }

        return cloudEvent?.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, cloudEvent.TraceState, isRemote: true, out var parsed)
            ? parsed
            : Activity.Current?.Context ?? default;
    }

    private static async Task<IResult> LogDeadLetterAsync(HttpContext context, ILogger<DeadLetterLog> logger)
    {
        var cloudEvent = await CloudEvent.ReadAsync(context.Request, context.RequestAborted);
        DaprLog.DeadLetter(logger, cloudEvent?.Id ?? string.Empty, cloudEvent?.Type ?? string.Empty, cloudEvent?.Source ?? string.Empty, cloudEvent?.Topic ?? string.Empty);
        return TypedResults.Json(TopicStatus.Success);
    }

    private static object? Deserialize(JsonElement? data, Type eventType)
    {
        if (data is not { ValueKind: JsonValueKind.Object } json)
        {
            return null;
        }

        try
        {
            return json.Deserialize(eventType, DaprJson.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
