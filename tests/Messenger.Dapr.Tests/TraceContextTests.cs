using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.Client;
using Messenger.Core.Events;
using Messenger.Core.Protocol;
using Messenger.Core.Telemetry;
using Messenger.Dapr.Bus;
using Messenger.Dapr.Health;
using Messenger.Dapr.Subscriptions;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Gateway;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moq;

namespace Messenger.Dapr.Tests;

/// <summary>
/// W3C trace context over Dapr: a publish is a producer span (whose context the gRPC call to the sidecar carries), and
/// the handling of a delivered CloudEvent continues the trace of the delivery's traceparent header, or of the
/// CloudEvent's own traceparent without one. Readiness is the sidecar's outbound health.
/// </summary>
public sealed class TraceContextTests : IDisposable
{
    private const string Published = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string Delivered = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;

    public TraceContextTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessengerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task Publishing_is_a_producer_span_current_while_the_sidecar_is_called()
    {
        var client = new Mock<DaprClient>(MockBehavior.Strict);
        var delivery = new DeliveryRequested(["u_b"], null, new TypingFrame("c_1", "u_a"));
        Activity? during = null;
        client.Setup(d => d.PublishEventAsync(DaprNames.PubSub, "gateway.g-9", delivery, It.IsAny<CancellationToken>()))
            .Callback(() => during = Activity.Current)
            .Returns(Task.CompletedTask);
        using var parent = new Activity("test").Start();

        await new DaprEventBus(client.Object).PublishAsync(Topics.Gateway("g-9"), delivery, default);

        Assert.NotNull(during);
        Assert.Equal("publish gateway.g-9", during.DisplayName);
        Assert.Equal(ActivityKind.Producer, during.Kind);
        Assert.Equal(parent.TraceId, during.TraceId);
        Assert.Equal(DaprEventBus.MessagingSystem, during.GetTagItem(MessengerTelemetry.MessagingSystemAttribute));
    }

    [Fact]
    public async Task Without_a_traceparent_header_the_handling_continues_the_cloud_events_trace()
    {
        await using var gateway = Gateway("g-1");

        await DeliverAsync(gateway, "g-1", header: null);

        var process = await ProcessSpanAsync("gateway.g-1");
        Assert.Equal(ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), process.TraceId);
        Assert.Equal(ActivitySpanId.CreateFromString("b7ad6b7169203331"), process.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
    }

    [Fact]
    public async Task With_a_traceparent_header_the_handling_continues_the_deliverys_trace()
    {
        await using var gateway = Gateway("g-2");

        await DeliverAsync(gateway, "g-2", header: Delivered);

        var process = await ProcessSpanAsync("gateway.g-2");
        Assert.Equal(ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"), process.TraceId);
    }

    [Theory]
    [InlineData(true, HealthStatus.Healthy)]
    [InlineData(false, HealthStatus.Unhealthy)]
    public async Task Readiness_follows_the_sidecars_outbound_health(bool sidecarHealthy, HealthStatus expected)
    {
        var client = new Mock<DaprClient>(MockBehavior.Strict);
        client.Setup(d => d.CheckOutboundHealthAsync(It.IsAny<CancellationToken>())).ReturnsAsync(sidecarHealthy);
        var check = new SidecarHealthCheck(client.Object);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration(SidecarHealthCheck.Name, check, HealthStatus.Unhealthy, null) };

        var result = await check.CheckHealthAsync(context, default);

        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public async Task The_cloud_events_trace_context_is_read()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.ContentType = CloudEvents.MediaType;
        context.Request.Body = new MemoryStream(Envelope("t", new JsonObject { ["a"] = 1 }, "state=1"));

        var read = await CloudEvent.ReadAsync(context.Request, default);

        Assert.Equal(Published, read!.TraceParent);
        Assert.Equal("state=1", read.TraceState);
    }

    private static DaprAppFactory<GatewayProgram> Gateway(string instanceId) =>
        new(new Dictionary<string, string> { ["Messenger:Gateway:InstanceId"] = instanceId }, new InMemoryDapr());

    private static async Task DeliverAsync(DaprAppFactory<GatewayProgram> gateway, string instanceId, string? header)
    {
        var data = JsonSerializer.SerializeToNode(new DeliveryRequested(["u_nobody"], null, new TypingFrame("c_1", "u_a")), DaprJson.Options)!;
        using var content = new ByteArrayContent(Envelope(Topics.Gateway(instanceId), data, null));
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEvents.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, DaprRoutes.For(GatewayServiceExtensions.DeliverySubscription)) { Content = content };
        if (header is not null)
        {
            request.Headers.Add("traceparent", header);
        }

        using var response = await gateway.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static byte[] Envelope(string topic, JsonNode data, string? traceState)
    {
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = Guid.NewGuid().ToString(),
            ["source"] = "test",
            ["type"] = "com.dapr.event.sent",
            ["datacontenttype"] = "application/json",
            ["topic"] = topic,
            ["pubsubname"] = DaprNames.PubSub,
            ["traceparent"] = Published,
            ["data"] = data,
        };
        if (traceState is not null)
        {
            envelope["tracestate"] = traceState;
        }

        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }

    private async Task<Activity> ProcessSpanAsync(string topic)
    {
        Activity? found = null;
        await Eventually.HoldsAsync(() => (found = stopped.FirstOrDefault(a => a.DisplayName == "process " + topic)) is not null, "the handling's span");
        return found!;
    }
}
