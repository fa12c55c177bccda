using Dapr;
using Grpc.Core;
using Messenger.Sidecar.Tests.Apps;
using Messenger.Sidecar.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Messenger.Sidecar.Tests;

/// <summary>Publishing through the real DaprClient and delivery to a test app's routes, with daprd's status
/// semantics, the resiliency retries and the dead-letter topic.</summary>
public sealed class PubSubTests : IAsyncLifetime
{
    private const string Topic = "orders";
    private const string Route = "/events/orders";
    private const string DeadLetterTopic = "dead";
    private const string DeadLetterRoute = "/events/dead";
    private readonly TestDeployment deployment = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await deployment.DisposeAsync();

    [Fact]
    public async Task A_published_event_reaches_the_subscribed_route_in_daprs_cloudevent_envelope()
    {
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route)]);
        var publisher = deployment.Client(await deployment.StartSidecarAsync("producer"));

        await publisher.PublishEventAsync(TestDeployment.PubSub, Topic, new { orderId = 7 });

        await Eventually.TrueAsync(() => consumer.On(Route).Count == 1, "the event delivered");
        var delivered = consumer.On(Route)[0];
        Assert.Equal("application/cloudevents+json", delivered.ContentType);
        var ce = delivered.CloudEvent;
        Assert.False(string.IsNullOrEmpty(ce.GetProperty("id").GetString()));
        Assert.Equal("producer", ce.GetProperty("source").GetString());
        Assert.Equal("com.dapr.event.sent", ce.GetProperty("type").GetString());
        Assert.Equal("1.0", ce.GetProperty("specversion").GetString());
        Assert.Equal("application/json", ce.GetProperty("datacontenttype").GetString());
        Assert.Equal(Topic, ce.GetProperty("topic").GetString());
        Assert.Equal(TestDeployment.PubSub, ce.GetProperty("pubsubname").GetString());
        Assert.StartsWith("00-", ce.GetProperty("traceparent").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, ce.GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.Equal(1, deployment.Infrastructure.Counters.Get("producer", Operation.Publish));
        await Eventually.TrueAsync(() => deployment.Infrastructure.Counters.Get("consumer", Operation.Delivery) == 1, "the delivery counted");
    }

    [Fact]
    public async Task An_event_answered_retry_is_delivered_again_until_it_succeeds()
    {
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route, DeadLetterTopic), new(TestDeployment.PubSub, DeadLetterTopic, DeadLetterRoute)]);
        consumer.Respond = (_, _, attempt) => attempt < 3 ? Results.Json(new { status = "RETRY" }) : Results.Json(new { status = "SUCCESS" });

        await deployment.Client(await deployment.StartSidecarAsync("producer")).PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 });

        await Eventually.TrueAsync(() => deployment.Infrastructure.Counters.Get("consumer", Operation.Delivery) == 1, "the event settled");
        Assert.Equal(3, consumer.On(Route).Count);
        Assert.Single(consumer.On(Route).Select(e => e.Id).Distinct());
        Assert.Empty(consumer.On(DeadLetterRoute));
    }

    [Fact]
    public async Task An_event_answered_drop_or_404_is_not_retried()
    {
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route), new(TestDeployment.PubSub, "other", "/events/other")]);
        consumer.Respond = (route, _, _) => route == Route ? Results.Json(new { status = "DROP" }) : Results.NotFound();
        var publisher = deployment.Client(await deployment.StartSidecarAsync("producer"));

        await publisher.PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 });
        await publisher.PublishEventAsync(TestDeployment.PubSub, "other", new { n = 2 });

        await Eventually.TrueAsync(() => deployment.Infrastructure.Counters.Get("consumer", Operation.Drop) == 2, "both events dropped");
        Assert.Single(consumer.On(Route));
        Assert.Single(consumer.On("/events/other"));
    }

    [Fact]
    public async Task An_event_that_keeps_failing_goes_to_the_dead_letter_topic_after_the_policys_retries()
    {
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route, DeadLetterTopic), new(TestDeployment.PubSub, DeadLetterTopic, DeadLetterRoute)]);
        consumer.Respond = (route, _, _) => route == Route ? Results.StatusCode(500) : Results.Ok();

        await deployment.Client(await deployment.StartSidecarAsync("producer")).PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 });

        await Eventually.TrueAsync(() => consumer.On(DeadLetterRoute).Count == 1, "the event in the dead-letter topic");
        Assert.Equal(1 + TestDeployment.MaxRetries, consumer.On(Route).Count);
        Assert.Equal(consumer.On(Route)[0].Id, consumer.On(DeadLetterRoute)[0].Id);
        Assert.Equal(1, deployment.Infrastructure.Counters.Get("consumer", Operation.DeadLetter));
    }

    [Fact]
    public async Task The_app_api_token_is_sent_on_every_call_to_the_app()
    {
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route)], appApiToken: "app-secret");

        await deployment.Client(await deployment.StartSidecarAsync("producer")).PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 });

        await Eventually.TrueAsync(() => consumer.On(Route).Count == 1, "the event delivered");
        Assert.Equal("app-secret", consumer.On(Route)[0].Token);
        Assert.Contains(consumer.Requests, r => r.Path == "/dapr/config" && r.Token == "app-secret");
        Assert.All(consumer.Requests, r => Assert.Equal("app-secret", r.Token));
    }

    [Fact]
    public async Task With_an_api_token_the_sidecar_refuses_calls_without_it()
    {
        var sidecar = await deployment.StartSidecarAsync("producer", apiToken: "sidecar-secret");

        var refused = await Assert.ThrowsAsync<DaprException>(() => deployment.Client(sidecar).PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 }));
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(refused.InnerException).StatusCode);
        await deployment.Client(sidecar, "sidecar-secret").PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 });

        using var http = new HttpClient { BaseAddress = sidecar.HttpEndpoint };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/v1.0/metadata", UriKind.Relative))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.GetAsync(new Uri("/v1.0/healthz/outbound", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Publishing_outside_the_apps_publishing_scope_is_permission_denied()
    {
        var restricted = deployment.Client(await deployment.StartSidecarAsync(TestDeployment.RestrictedApp));

        var error = await Assert.ThrowsAsync<DaprException>(() => restricted.PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 }));
        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.PermissionDenied, rpc.StatusCode);
        Assert.Equal($"topic {Topic} is not allowed for app id {TestDeployment.RestrictedApp}", rpc.Status.Detail);
        await restricted.PublishEventAsync(TestDeployment.PubSub, TestDeployment.RestrictedTopic, new { n = 1 });
    }

    [Fact]
    public async Task With_redelivery_switched_on_an_acknowledged_event_arrives_again()
    {
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route)]);
        deployment.Infrastructure.Broker.Behavior = new Messenger.Sidecar.PubSub.BrokerBehavior(RedeliveryRate: 1);

        await deployment.Client(await deployment.StartSidecarAsync("producer")).PublishEventAsync(TestDeployment.PubSub, Topic, new { n = 1 });

        await Eventually.TrueAsync(() => consumer.On(Route).Count == 2, "the event delivered twice");
        Assert.Single(consumer.On(Route).Select(e => e.Id).Distinct());
        Assert.Equal(1, deployment.Infrastructure.Counters.Get("consumer", Operation.Redelivery));
    }

    [Fact]
    public async Task Instances_of_one_app_id_share_the_topic_and_other_app_ids_each_get_every_event()
    {
        var subscription = new TestSubscription(TestDeployment.PubSub, Topic, Route);
        var (_, a1) = await deployment.StartAppAsync("a", "a-1", [subscription]);
        var (_, a2) = await deployment.StartAppAsync("a", "a-2", [subscription]);
        var (_, b) = await deployment.StartAppAsync("b", "b", [subscription]);
        var publisher = deployment.Client(await deployment.StartSidecarAsync("producer"));

        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishEventAsync(TestDeployment.PubSub, Topic, new { i });
        }

        await Eventually.TrueAsync(() => b.On(Route).Count == 10 && a1.On(Route).Count + a2.On(Route).Count == 10, "every event to app b and to one instance of app a");
        Assert.Equal(Enumerable.Range(0, 10), b.On(Route).Select(e => e.CloudEvent.GetProperty("data").GetProperty("i").GetInt32()).Order());
        Assert.NotEmpty(a1.On(Route));
        Assert.NotEmpty(a2.On(Route));
    }

    [Fact]
    public async Task A_sidecar_hands_an_app_at_most_the_components_concurrency_of_events_at_once_ten_by_default()
    {
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route)]);
        consumer.Hold = TimeSpan.FromMilliseconds(300);
        var publisher = deployment.Client(await deployment.StartSidecarAsync("producer"));

        for (var i = 0; i < 25; i++)
        {
            await publisher.PublishEventAsync(TestDeployment.PubSub, Topic, new { i });
        }

        await Eventually.TrueAsync(() => deployment.Infrastructure.Counters.Get("consumer", Operation.Delivery) == 25, "every event settled");
        Assert.Equal(10, consumer.MaxEventsInFlight);
    }

    [Fact]
    public async Task With_delivery_concurrency_one_events_arrive_one_at_a_time_in_publish_order()
    {
        deployment.Infrastructure.Broker.Behavior = new Messenger.Sidecar.PubSub.BrokerBehavior(Concurrency: 1);
        var (_, consumer) = await deployment.StartAppAsync("consumer", "consumer", [new(TestDeployment.PubSub, Topic, Route)]);
        consumer.Hold = TimeSpan.FromMilliseconds(20);
        var publisher = deployment.Client(await deployment.StartSidecarAsync("producer"));

        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishEventAsync(TestDeployment.PubSub, Topic, new { i });
        }

        await Eventually.TrueAsync(() => consumer.On(Route).Count == 10, "every event delivered");
        Assert.Equal(Enumerable.Range(0, 10), consumer.On(Route).Select(e => e.CloudEvent.GetProperty("data").GetProperty("i").GetInt32()));
        Assert.Equal(1, consumer.MaxEventsInFlight);
    }
}
