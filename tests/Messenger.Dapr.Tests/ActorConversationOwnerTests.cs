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
            new ActorConversationOwner(factory.Object).AppendAsync("c_9", new MessageDraft("u_a", "x", "hi", null), default));

        Assert.Equal(ErrorCodes.NotFound, refused.Code);
        Assert.Equal("Conversation not found.", refused.Message);
    }
}
