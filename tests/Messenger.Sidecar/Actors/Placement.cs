using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Actors;

/// <summary>
/// Actor placement and turn-based concurrency for all sidecar doubles (the stand-in for the placement service):
/// every actor id lives on exactly one instance among those that declared its type (rendezvous hashing over the
/// instances, so adding an instance moves only some actors, which are deactivated on the old one first), and one
/// call at a time runs per actor id. Idle actors are deactivated (<c>DELETE /actors/{type}/{id}</c>) after the host's
/// actorIdleTimeout, checked every actorScanInterval.
/// </summary>
public sealed partial class Placement(ILogger<Placement> logger, TimeProvider time) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<ActorHost> hosts = [];
    private readonly ConcurrentDictionary<(string Type, string Id), ActorSlot> slots = new();
    private readonly CancellationTokenSource stopping = new();
    private Task sweeper = Task.CompletedTask;

    public IReadOnlyList<ActorHost> Hosts
    {
        get
        {
            lock (gate)
            {
                return [.. hosts];
            }
        }
    }

    public void Register(ActorHost host)
    {
        lock (gate)
        {
            hosts.RemoveAll(h => h.InstanceName == host.InstanceName);
            hosts.Add(host);
            if (sweeper.IsCompleted)
            {
                sweeper = Task.Run(() => SweepAsync(stopping.Token));
            }
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var types = string.Join(",", host.Types);
            HostRegistered(host.InstanceName, types);
        }
    }

    /// <summary>The instance an actor id belongs on now, or null when no instance declared the type.</summary>
    public ActorHost? Locate(string actorType, string actorId)
    {
        lock (gate)
        {
            return hosts.Where(h => h.Types.Contains(actorType))
                .MaxBy(h => Score(h.InstanceName, actorType, actorId));
        }
    }

    /// <summary>The instance the actor is active on, if any.</summary>
    public string? ActiveOn(string actorType, string actorId) =>
        slots.TryGetValue((actorType, actorId), out var slot) ? slot.ActiveOn?.InstanceName : null;

    public int ActiveCount(string instanceName) => slots.Values.Count(s => s.ActiveOn?.InstanceName == instanceName);

    /// <summary>Runs <paramref name="call"/> against the actor's host, alone among the calls to that actor id.</summary>
    public async Task<T> InvokeAsync<T>(string actorType, string actorId, Func<ActorHost, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var slot = slots.GetOrAdd((actorType, actorId), _ => new ActorSlot());
        await slot.Turn.WaitAsync(cancellationToken);
        try
        {
            var host = Locate(actorType, actorId) ?? throw new ActorNotHostedException(actorType, actorId);
            if (slot.ActiveOn is { } previous && previous.InstanceName != host.InstanceName)
            {
                await DeactivateAsync(previous, actorType, actorId, cancellationToken);
            }

            slot.ActiveOn = host;
            slot.LastUsed = time.GetUtcNow();
            return await call(host, cancellationToken);
        }
        finally
        {
            slot.LastUsed = time.GetUtcNow();
            slot.Turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await sweeper;
        stopping.Dispose();
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var interval = Hosts.Select(h => h.ScanInterval).DefaultIfEmpty(TimeSpan.FromSeconds(30)).Min();
                await Task.Delay(interval, time, cancellationToken);
                foreach (var ((type, id), slot) in slots)
                {
                    if (slot.ActiveOn is not { } host || time.GetUtcNow() - slot.LastUsed < host.IdleTimeout || !await slot.Turn.WaitAsync(0, cancellationToken))
                    {
                        continue;
                    }

                    try
                    {
                        if (slot.ActiveOn is { } active && time.GetUtcNow() - slot.LastUsed >= active.IdleTimeout)
                        {
                            await DeactivateAsync(active, type, id, cancellationToken);
                            slot.ActiveOn = null;
                        }
                    }
                    finally
                    {
                        slot.Turn.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeactivateAsync(ActorHost host, string actorType, string actorId, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"/actors/{Uri.EscapeDataString(actorType)}/{Uri.EscapeDataString(actorId)}");
            using var response = await host.Channel.SendAsync(request, cancellationToken);
            Deactivated(actorType, actorId, host.InstanceName, (int)response.StatusCode);
        }
        catch (HttpRequestException exception)
        {
            DeactivationFailed(exception, actorType, actorId, host.InstanceName);
        }
    }

    private static ulong Score(string instance, string actorType, string actorId)
    {
        // FNV-1a over "instance|type|id": stable across runs, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{instance}|{actorType}|{actorId}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "placement: {Instance} hosts actor types [{Types}]")]
    private partial void HostRegistered(string instance, string types);

    [LoggerMessage(Level = LogLevel.Debug, Message = "placement: deactivated {ActorType}/{ActorId} on {Instance} ({Status})")]
    private partial void Deactivated(string actorType, string actorId, string instance, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "placement: could not deactivate {ActorType}/{ActorId} on {Instance}")]
    private partial void DeactivationFailed(Exception exception, string actorType, string actorId, string instance);

    private sealed class ActorSlot
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public ActorHost? ActiveOn { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }
}
