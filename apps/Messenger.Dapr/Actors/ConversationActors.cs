using Dapr.Actors;
using Dapr.Actors.Client;

namespace Messenger.Dapr.Actors;

public static class ConversationActors
{
    public static IConversationActor Of(this IActorProxyFactory factory, string conversationId) =>
        factory.CreateActorProxy<IConversationActor>(new ActorId(conversationId), DaprNames.ConversationActorType);
}
