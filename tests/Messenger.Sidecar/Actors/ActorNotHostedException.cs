namespace Messenger.Sidecar.Actors;

/// <summary>No app instance declared the actor type (daprd: "did not find address for actor").</summary>
public sealed class ActorNotHostedException(string actorType, string actorId)
    : Exception($"did not find address for actor {actorType}/{actorId}")
{
    public string ActorType { get; } = actorType;

    public string ActorId { get; } = actorId;
}
