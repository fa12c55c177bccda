using System.Collections.Concurrent;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>The committed state of every actor, as the actor state store would keep it across activations.</summary>
internal sealed class ActorStateVault
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> actors = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, byte[]> Of(string actorId) =>
        actors.GetOrAdd(actorId, _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));

    public InMemoryActorStateManager ManagerFor(string actorId) => new(Of(actorId));
}
