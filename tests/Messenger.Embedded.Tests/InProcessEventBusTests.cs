using Microsoft.Extensions.Logging.Abstractions;
using System.Collections.Concurrent;
using Messenger.Embedded.Bus;

namespace Messenger.Embedded.Tests;

public sealed class InProcessEventBusTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InProcessEventBus bus = new(NullLogger<InProcessEventBus>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await bus.DisposeAsync();

    [Fact]
    public async Task Each_subscriber_gets_a_topics_events_in_publish_order()
    {
        var first = new ConcurrentQueue<int>();
        var second = new ConcurrentQueue<int>();
        var errors = new ConcurrentQueue<Exception>();
        bus.Subscribe<Numbered>("t", async (e, _) => { await Task.Yield(); first.Enqueue(e.N); }, errors.Enqueue);
        bus.Subscribe<Numbered>("t", (e, _) => { second.Enqueue(e.N); return Task.CompletedTask; }, errors.Enqueue);

        for (var i = 0; i < 2000; i++)
        {
            await bus.PublishAsync("t", new Numbered(i), None);
        }

        await Eventually.HoldsAsync(() => first.Count == 2000 && second.Count == 2000, "both subscribers have every event");
        Assert.Equal(Enumerable.Range(0, 2000), first);
        Assert.Equal(Enumerable.Range(0, 2000), second);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_throwing_handler_does_not_stop_later_events()
    {
        var seen = new ConcurrentQueue<int>();
        var errors = new ConcurrentQueue<Exception>();
        bus.Subscribe<Numbered>("t", (e, _) =>
        {
            seen.Enqueue(e.N);
            return e.N % 3 == 0 ? throw new InvalidOperationException($"boom {e.N}") : Task.CompletedTask;
        }, errors.Enqueue);

        for (var i = 0; i < 10; i++)
        {
            await bus.PublishAsync("t", new Numbered(i), None);
        }

        await Eventually.HoldsAsync(() => seen.Count == 10, "every event reached the handler");
        Assert.Equal(Enumerable.Range(0, 10), seen);
        await Eventually.HoldsAsync(() => errors.Count == 4, "each failure was reported");
        Assert.Equal(["boom 0", "boom 3", "boom 6", "boom 9"], errors.Select(e => e.Message));
    }

    [Fact]
    public async Task A_handler_failing_asynchronously_does_not_stop_later_events()
    {
        var seen = new ConcurrentQueue<int>();
        var errors = new ConcurrentQueue<Exception>();
        bus.Subscribe<Numbered>("t", async (e, _) =>
        {
            await Task.Yield();
            if (e.N == 0)
            {
                throw new InvalidOperationException("late boom");
            }

            seen.Enqueue(e.N);
        }, errors.Enqueue);

        await bus.PublishAsync("t", new Numbered(0), None);
        await bus.PublishAsync("t", new Numbered(1), None);

        await Eventually.HoldsAsync(() => seen.Count == 1, "the event after the failure arrived");
        Assert.Equal("late boom", Assert.Single(errors).Message);
    }

    [Fact]
    public async Task A_subscriber_gets_only_its_own_topic()
    {
        var seen = new ConcurrentQueue<int>();
        bus.Subscribe<Numbered>("mine", (e, _) => { seen.Enqueue(e.N); return Task.CompletedTask; }, _ => { });

        await bus.PublishAsync("other", new Numbered(1), None);
        await bus.PublishAsync("mine", new Numbered(2), None);

        // One queue per subscriber, in publish order: had "other" reached it, 1 would arrive before 2.
        await Eventually.HoldsAsync(() => !seen.IsEmpty, "the event on its topic arrived");
        Assert.Equal([2], seen);
    }

    [Fact]
    public async Task Publishing_to_a_topic_with_no_subscribers_completes()
    {
        await bus.PublishAsync("nobody-listens", new Numbered(1), None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_disposed_subscription_gets_nothing_more_and_others_still_do()
    {
        var gone = new ConcurrentQueue<int>();
        var staying = new ConcurrentQueue<int>();
        var subscription = bus.Subscribe<Numbered>("t", (e, _) => { gone.Enqueue(e.N); return Task.CompletedTask; }, _ => { });
        bus.Subscribe<Numbered>("t", (e, _) => { staying.Enqueue(e.N); return Task.CompletedTask; }, _ => { });
        await bus.PublishAsync("t", new Numbered(1), None);
        await Eventually.HoldsAsync(() => gone.Count == 1 && staying.Count == 1, "both got the first event");

        await subscription.DisposeAsync();
        await bus.PublishAsync("t", new Numbered(2), None);

        await Eventually.HoldsAsync(() => staying.Count == 2, "the remaining subscriber got the second event");
        Assert.Equal([1], gone);
    }

    private sealed record Numbered(int N);
}
