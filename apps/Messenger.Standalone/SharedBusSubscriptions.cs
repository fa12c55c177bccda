using Messenger.Embedded.Bus;

namespace Messenger.Standalone;

/// <summary>Binds the subscriptions an extra gateway declared to the backend's bus while it runs.</summary>
internal sealed class SharedBusSubscriptions(InProcessEventBus bus, IServiceProvider services) : IHostedService
{
    private IAsyncDisposable? binding;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        binding = bus.Bind(services);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (binding is not null)
        {
            await binding.DisposeAsync();
        }
    }
}
