using Dapr.Actors;
using Dapr.Actors.Client;
using Microsoft.Extensions.Caching.Memory;

namespace Messenger.Dapr.Actors;

/// <summary>
/// Proxies of conversation actors, kept for the conversations in use. The SDK gives every typed proxy message
/// serializers of its own, with their own copy of the JSON options, so a proxy made per call rebuilt the JSON
/// metadata of every type it carried on every call (a sixth of a gateway's CPU under load). A proxy holds no state of
/// a call, so one serves every call to its actor; at most <see cref="Capacity"/> are kept, each for as long as it is
/// used within <see cref="Idle"/>, and past that a call just makes a new one.
/// </summary>
public sealed class ConversationActors(IActorProxyFactory factory) : IDisposable
{
    public const int Capacity = 1024;

    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly MemoryCache proxies = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public IConversationActor Of(string conversationId) =>
        proxies.GetOrCreate(conversationId, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = Idle;
            return factory.CreateActorProxy<IConversationActor>(new ActorId(conversationId), DaprNames.ConversationActorType);
        })!;

    public void Dispose() => proxies.Dispose();
}
