using System.Threading.Channels;

namespace Messenger.Embedded.Bus;

/// <summary>One subscriber's queue and the loop that hands each event to it in turn.</summary>
internal sealed class InProcessSubscription : IAsyncDisposable
{
    private const int Capacity = 10_000;
    private readonly Channel<object> queue = Channel.CreateBounded<object>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Func<object, Task> handler;
    private readonly Action<Exception> onError;
    private readonly Action unsubscribe;
    private readonly Task loop;
    private readonly bool inline;

    public InProcessSubscription(Func<object, Task> handler, Action<Exception> onError, Action unsubscribe, bool inline)
    {
        this.handler = handler;
        this.onError = onError;
        this.unsubscribe = unsubscribe;
        this.inline = inline;
        loop = inline ? Task.CompletedTask : Task.Run(RunAsync);
    }

    public ValueTask EnqueueAsync(object @event, CancellationToken cancellationToken)
    {
        if (inline)
        {
            return new ValueTask(InvokeAsync(@event));
        }

        return queue.Writer.TryWrite(@event) ? ValueTask.CompletedTask : queue.Writer.WriteAsync(@event, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        unsubscribe();
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task RunAsync()
    {
        await foreach (var @event in queue.Reader.ReadAllAsync())
        {
            await InvokeAsync(@event);
        }
    }

    private async Task InvokeAsync(object @event)
    {
        try
        {
            await handler(@event);
        }
        catch (Exception e)
        {
            // At least once elsewhere; here a failed handler is reported and the next event goes on.
            onError(e);
        }
    }
}
