using Dapr.Actors.Runtime;
using Messenger.Dapr.Actors;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>Creates ConversationActors from the app's services as Dapr would, with their state in a vault instead of a sidecar.</summary>
internal sealed class TestActorActivator(IServiceProvider services, ActorStateVault vault) : ActorActivator
{
    public override Task<ActorActivatorState> CreateAsync(ActorHost host) =>
        Task.FromResult(new ActorActivatorState(
            ActivatorUtilities.CreateInstance<ConversationActor>(services, host, vault.ManagerFor(host.Id.GetId()))));

    public override Task DeleteAsync(ActorActivatorState state) => Task.CompletedTask;
}
