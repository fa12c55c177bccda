namespace Messenger.Sidecar.Tests;

public sealed class FreePortTests
{
    [Fact]
    public void A_port_offered_again_before_anyone_bound_it_is_passed_over()
    {
        // Ports below 1024 never come from the kernel's ephemeral range, so no other test is handed these.
        var offers = new Queue<int>([1001, 1001, 1002]);

        var first = FreePort.Take(offers.Dequeue);
        var second = FreePort.Take(offers.Dequeue);

        Assert.Equal(1001, first);
        Assert.Equal(1002, second);
    }
}
