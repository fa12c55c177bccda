using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Moq;

namespace Messenger.Core.Tests;

public sealed class RouterTests
{
    private readonly Mock<IEventBus> bus = new();
    private readonly Mock<IPresenceDirectory> presence = new();
    private readonly Mock<ILocalDelivery> local = new();

    public RouterTests()
    {
        bus.Setup(b => b.PublishAsync(It.IsAny<string>(), It.IsAny<It.IsAnyType>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        presence.Setup(p => p.LocateAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, IReadOnlyCollection<string>> { ["a"] = ["g1"], ["b"] = ["g2"], ["c"] = ["g1", "g3"] });
        local.Setup(l => l.TryDeliver(It.IsAny<string>(), It.IsAny<DeliveryRequested>())).Returns((string gatewayId, DeliveryRequested _) => gatewayId == "g1");
    }

    [Fact]
    public async Task The_delivery_for_this_processs_gateway_is_handed_over_in_process_and_only_the_others_are_published()
    {
        var frame = new TypingFrame("c_1", "a");

        var offline = await new Router(presence.Object, bus.Object, local.Object).RouteAsync(["a", "b", "c", "d"], frame, "k_a", default);

        local.Verify(l => l.TryDeliver("g1", It.Is<DeliveryRequested>(d => string.Join(',', d.UserIds.Order(StringComparer.Ordinal)) == "a,c" && d.ExceptConnectionId == "k_a" && d.Frame == frame)), Times.Once);
        var published = bus.Invocations.Where(i => i.Method.Name == nameof(IEventBus.PublishAsync)).Select(i => (string)i.Arguments[0]).Order(StringComparer.Ordinal);
        Assert.Equal(["gateway.g2", "gateway.g3"], published);
        Assert.Equal(["d"], offline);
    }

    [Fact]
    public async Task Without_a_gateway_in_process_every_delivery_is_published()
    {
        var offline = await new Router(presence.Object, bus.Object).RouteAsync(["a", "b", "c"], new TypingFrame("c_1", "a"), null, default);

        var published = bus.Invocations.Where(i => i.Method.Name == nameof(IEventBus.PublishAsync)).Select(i => (string)i.Arguments[0]).Order(StringComparer.Ordinal);
        Assert.Equal(["gateway.g1", "gateway.g2", "gateway.g3"], published);
        Assert.Empty(offline);
    }
}
