using System.Diagnostics;
using System.Threading.Channels;
using Messenger.Core.Telemetry;

namespace Messenger.Embedded.Bus;

/// <summary>
/// One subscriber's queue and the loop that hands each event to it in turn. Each event waits with the trace context
/// of its publish, so that its handling is a span of the publisher's trace (as a CloudEvent's traceparent carries it
/// under Dapr).
/// </summary>
internal sealed class InProcessSubscription : IAsyncDisposable
{
    private const int Capacity = 10_000;
    private readonly Channel<(object Event, ActivityContext Parent)> queue = Channel.CreateBounded<(object, ActivityContext)>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly string topic;
    private readonly Func<object, Task> handler;
    private readonly Action<Exception> onError;
    private readonly Action unsubscribe;
    private readonly Task loop;
    private readonly bool inline;

    public InProcessSubscription(string topic, Func<object, Task> handler, Action<Exception> onError, Action unsubscribe, bool inline)
    {
        this.topic = topic;
        this.handler = handler;
        this.onError = onError;
        this.unsubscribe = unsubscribe;
        this.inline = inline;
        loop = inline ? Task.CompletedTask : Task.Run(RunAsync);
    }

    public ValueTask EnqueueAsync(object @event, CancellationToken cancellationToken)
    {
        var parent = Activity.Current?.Context ?? default;
        if (inline)
        {
            return new ValueTask(InvokeAsync(@event, parent));
        }

        var item = (@event, parent);
        return queue.Writer.TryWrite(item) ? ValueTask.CompletedTask : queue.Writer.WriteAsync(item, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        unsubscribe();
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task RunAsync()
    {
        await foreach (var (@event, parent) in queue.Reader.ReadAllAsync())
        {
            await InvokeAsync(@event, parent);
        }
    }

    private async Task InvokeAsync(object @event, ActivityContext parent)
    {
        using var span = MessengerTelemetry.StartProcess(InProcessEventBus.MessagingSystem, topic, parent);
        try
        {
            await handler(@event);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error);
            // At least once elsewhere; here a failed handler is reported and the next event goes on.
            onError(e);
        }
    }
}
