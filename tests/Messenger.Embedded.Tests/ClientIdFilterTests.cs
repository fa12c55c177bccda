using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class ClientIdFilterTests
{
    [Fact]
    public void Every_id_added_is_reported_as_maybe_there()
    {
        var filter = new ClientIdFilter(5_000);
        var ids = Enumerable.Range(0, 10_000).Select(i => ($"u_{i % 2}", Guid.NewGuid().ToString())).ToList();

        foreach (var (sender, clientId) in ids)
        {
            filter.Add(sender, clientId);
        }

        Assert.True(filter.Full);
        Assert.All(ids, id => Assert.True(filter.MightContain(id.Item1, id.Item2)));
    }

    [Fact]
    public void At_capacity_ids_never_added_are_mostly_reported_as_not_there()
    {
        var filter = new ClientIdFilter(5_000);
        for (var i = 0; i < filter.Capacity; i++)
        {
            filter.Add("u_a", Guid.NewGuid().ToString());
        }

        var falsePositives = Enumerable.Range(0, 10_000).Count(_ => filter.MightContain("u_a", Guid.NewGuid().ToString()));

        // 10 bits and 7 hashes per id: about 0.8 % expected.
        Assert.InRange(falsePositives, 0, 300);
    }

    [Fact]
    public void The_same_id_of_another_sender_is_another_id()
    {
        var filter = new ClientIdFilter(100);
        filter.Add("u_a", "k1");

        Assert.True(filter.MightContain("u_a", "k1"));
        Assert.False(filter.MightContain("u_b", "k1"));
    }
}
