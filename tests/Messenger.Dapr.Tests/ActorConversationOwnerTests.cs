using Dapr.Actors;
using Dapr.Actors.Client;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Dapr.Actors;
using Moq;

namespace Messenger.Dapr.Tests;

public sealed class ActorConversationOwnerTests
{
    [Fact]
    public async Task A_refusal_by_the_actor_is_raised_again_with_its_contract_code()
    {
        var actor = new Mock<IConversationActor>(MockBehavior.Strict);
        actor.Setup(a => a.AppendAsync(It.IsAny<MessageDraft>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ActorReply<AppendOutcome>(null, ErrorCodes.NotFound, "Conversation not found."));
        var factory = new Mock<IActorProxyFactory>(MockBehavior.Strict);
        factory.Setup(f => f.CreateActorProxy<IConversationActor>(new ActorId("c_9"), DaprNames.ConversationActorType, null)).Returns(actor.Object);

        var refused = await Assert.ThrowsAsync<ChatException>(() =>
            new ActorConversationOwner(new ConversationActors(factory.Object)).AppendAsync("c_9", new MessageDraft("u_a", "x", "hi", null), default));

        Assert.Equal(ErrorCodes.NotFound, refused.Code);
        Assert.Equal("Conversation not found.", refused.Message);
    }

    [Fact]
    public async Task Calls_to_one_conversation_reuse_its_proxy_so_the_sdk_builds_its_serializers_once()
    {
        var factory = new Mock<IActorProxyFactory>(MockBehavior.Strict);
        factory.Setup(f => f.CreateActorProxy<IConversationActor>(It.IsAny<ActorId>(), DaprNames.ConversationActorType, null))
            .Returns(() =>
            {
                var actor = new Mock<IConversationActor>();
                actor.Setup(a => a.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync((Messenger.Core.Domain.ConversationState?)null);
                return actor.Object;
            });
        using var actors = new ConversationActors(factory.Object);
        var owner = new ActorConversationOwner(actors);

        for (var i = 0; i < 5; i++)
        {
            await owner.GetAsync("c_1", default);
            await owner.GetAsync("c_2", default);
        }

        factory.Verify(f => f.CreateActorProxy<IConversationActor>(new ActorId("c_1"), DaprNames.ConversationActorType, null), Times.Once);
        factory.Verify(f => f.CreateActorProxy<IConversationActor>(new ActorId("c_2"), DaprNames.ConversationActorType, null), Times.Once);
        Assert.Same(actors.Of("c_1"), actors.Of("c_1"));
    }
}
