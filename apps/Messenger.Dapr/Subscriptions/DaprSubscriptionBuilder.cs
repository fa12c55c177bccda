using System.Text.Json;
using Messenger.Core.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messenger.Dapr.Subscriptions;

/// <summary>
/// The topics an app subscribes to. Each <see cref="Topic{TEvent}"/> maps a POST route that reads the CloudEvent and
/// hands its data to the handler, and adds the topic to <c>GET /dapr/subscribe</c> with the dead-letter topic.
/// Handlers must be idempotent: every broker delivers at least once.
/// </summary>
public sealed class DaprSubscriptionBuilder
{
    private readonly IEndpointRouteBuilder endpoints;
    private readonly List<DaprSubscription> subscriptions = [];

    internal DaprSubscriptionBuilder(IEndpointRouteBuilder endpoints)
    {
        this.endpoints = endpoints;
    }

    public IReadOnlyList<DaprSubscription> Subscriptions => subscriptions;

    /// <summary>Delivers the events of <paramref name="topic"/> (on the <c>pubsub</c> component) to <paramref name="handle"/>.</summary>
    public DaprSubscriptionBuilder Topic<TEvent>(string topic, string route, Func<IServiceProvider, TEvent, CancellationToken, Task> handle)
        where TEvent : class
    {
        subscriptions.Add(new DaprSubscription(DaprNames.PubSub, topic, route, Topics.DeadLetter));
        endpoints.MapPost(route, async (HttpContext context, ILogger<DaprSubscriptionBuilder> logger) =>
        {
            var cancellationToken = context.RequestAborted;
            var cloudEvent = await CloudEvent.ReadAsync(context.Request, cancellationToken);
            var @event = Deserialize<TEvent>(cloudEvent?.Data);
            if (@event is null)
            {
                DaprLog.EventUnreadable(logger, cloudEvent?.Id ?? string.Empty, topic, typeof(TEvent).Name);
                return Results.Json(TopicStatus.Drop);
            }

            try
            {
                await handle(context.RequestServices, @event, cancellationToken);
                return Results.Json(TopicStatus.Success);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                DaprLog.HandlerFailed(logger, e, cloudEvent!.Id, topic);
                return Results.Json(TopicStatus.Retry);
            }
        }).AllowAnonymous().ExcludeFromDescription().AddEndpointFilter<AppApiTokenFilter>();
        return this;
    }

    /// <summary>Subscribes to the dead-letter topic: each event given up on elsewhere is logged as an error.</summary>
    public DaprSubscriptionBuilder DeadLetters()
    {
        subscriptions.Add(new DaprSubscription(DaprNames.PubSub, Topics.DeadLetter, DaprRoutes.DeadLetters, null));
        endpoints.MapPost(DaprRoutes.DeadLetters, async (HttpContext context, ILogger<DaprSubscriptionBuilder> logger) =>
        {
            var cloudEvent = await CloudEvent.ReadAsync(context.Request, context.RequestAborted);
            DaprLog.DeadLetter(logger, cloudEvent?.Id ?? string.Empty, cloudEvent?.Type ?? string.Empty, cloudEvent?.Source ?? string.Empty, cloudEvent?.Topic ?? string.Empty);
            return Results.Json(TopicStatus.Success);
        }).AllowAnonymous().ExcludeFromDescription().AddEndpointFilter<AppApiTokenFilter>();
        return this;
    }

    private static TEvent? Deserialize<TEvent>(JsonElement? data)
        where TEvent : class
    {
        if (data is not { ValueKind: JsonValueKind.Object } json)
        {
            return null;
        }

        try
        {
            return json.Deserialize<TEvent>(DaprJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
