using System.Collections.Concurrent;
using System.Diagnostics;
using Messenger.Core.Telemetry;
using Messenger.Embedded.Bus;
using Messenger.Embedded.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messenger.Embedded.Tests;

/// <summary>
/// The in-process bus carries the publisher's trace context to each subscriber, queued or inline, as a CloudEvent's
/// traceparent does under Dapr; the database's health check is what readiness means in one process.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private const string TestSourceName = "Messenger.Embedded.Tests";
    private static readonly ActivitySource Test = new(TestSourceName);
    private readonly InProcessEventBus bus = new(NullLogger<InProcessEventBus>.Instance);
    private readonly TempDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await bus.DisposeAsync();
        await database.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_subscribers_handling_is_a_consumer_span_in_the_publishers_trace(bool inline)
    {
        using var listener = Listen();
        var seen = new ConcurrentQueue<(ActivityTraceId Trace, string Name, ActivityKind Kind, ActivitySpanId Parent)>();
        await using var subscription = bus.Subscribe<Numbered>("t", (_, _) =>
        {
            var current = Activity.Current!;
            seen.Enqueue((current.TraceId, current.DisplayName, current.Kind, current.ParentSpanId));
            return Task.CompletedTask;
        }, _ => { }, inline);

        ActivityTraceId trace;
        using (var send = Test.StartActivity("send")!)
        {
            trace = send.TraceId;
            await bus.PublishAsync("t", new Numbered(1), default);
        }

        await Eventually.HoldsAsync(() => !seen.IsEmpty, "the event handled");
        var (handledTrace, name, kind, parent) = Assert.Single(seen);
        Assert.Equal(trace, handledTrace);
        Assert.Equal("process t", name);
        Assert.Equal(ActivityKind.Consumer, kind);
        Assert.NotEqual(default, parent);
    }

    [Fact]
    public async Task Nothing_is_traced_without_a_listener()
    {
        var current = new ConcurrentQueue<Activity?>();
        await using var subscription = bus.Subscribe<Numbered>("quiet", (_, _) =>
        {
            current.Enqueue(Activity.Current);
            return Task.CompletedTask;
        }, _ => { });

        Assert.False(MessengerTelemetry.Source.HasListeners());
        await bus.PublishAsync("quiet", new Numbered(1), default);

        await Eventually.HoldsAsync(() => !current.IsEmpty, "the event handled");
        Assert.Null(Assert.Single(current));
    }

    [Fact]
    public async Task The_database_check_is_healthy_while_the_file_answers_and_unhealthy_once_it_is_gone()
    {
        var healthy = await CheckAsync(database.Database);
        var gone = new SqliteDatabase(Path.Combine(database.Directory, "gone", "messenger.db"));
        await gone.DisposeAsync();
        Directory.Delete(Path.Combine(database.Directory, "gone"), recursive: true);

        var unhealthy = await CheckAsync(gone);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
    }

    private static async Task<HealthCheckResult> CheckAsync(SqliteDatabase db)
    {
        var check = new SqliteHealthCheck(db);
        return await check.CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration(SqliteHealthCheck.Name, check, HealthStatus.Unhealthy, null),
        });
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessengerTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private sealed record Numbered(int N);
}
