using Dapr.Client;
using Messenger.Core.Events;
using Messenger.Core.Protocol;
using Messenger.Dapr.Bus;
using Moq;

namespace Messenger.Dapr.Tests;

public sealed class DaprEventBusTests
{
    [Fact]
    public async Task Publish_goes_to_the_pubsub_component_on_the_named_topic()
    {
        var client = new Mock<DaprClient>(MockBehavior.Strict);
        var delivery = new DeliveryRequested(["u_b"], null, new TypingFrame("c_1", "u_a"));
        client.Setup(d => d.PublishEventAsync(DaprNames.PubSub, "gateway.gateway-2", delivery, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await new DaprEventBus(client.Object).PublishAsync(Topics.Gateway("gateway-2"), delivery, default);

        client.Verify(d => d.PublishEventAsync(DaprNames.PubSub, "gateway.gateway-2", delivery, It.IsAny<CancellationToken>()), Times.Once);
    }
}
