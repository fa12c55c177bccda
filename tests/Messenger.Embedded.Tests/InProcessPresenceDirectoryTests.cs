using Messenger.Embedded.Presence;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Embedded.Tests;

public sealed class InProcessPresenceDirectoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new(Stores.Start);
    private readonly InProcessPresenceDirectory presence;

    public InProcessPresenceDirectoryTests() => presence = new InProcessPresenceDirectory(time, Lease);

    [Fact]
    public async Task Connect_is_true_for_the_first_connection_and_false_for_the_next()
    {
        Assert.True(await presence.ConnectAsync("u_a", "g1", "c1", None));
        Assert.False(await presence.ConnectAsync("u_a", "g1", "c2", None));
        Assert.False(await presence.ConnectAsync("u_a", "g2", "c3", None));
        Assert.True(await presence.ConnectAsync("u_b", "g1", "c4", None));

        var status = await presence.GetAsync("u_a", None);
        Assert.True(status.Online);
        Assert.Null(status.LastSeen);
    }

    [Fact]
    public async Task Disconnect_of_the_last_connection_returns_last_seen()
    {
        await presence.ConnectAsync("u_a", "g1", "c1", None);
        await presence.ConnectAsync("u_a", "g2", "c2", None);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Null(await presence.DisconnectAsync("u_a", "g1", "c1", None));
        time.Advance(TimeSpan.FromSeconds(3));
        var status = await presence.DisconnectAsync("u_a", "g2", "c2", None);

        Assert.NotNull(status);
        Assert.Equal("u_a", status.UserId);
        Assert.False(status.Online);
        Assert.Equal(Stores.Start.AddSeconds(8), status.LastSeen);
        var after = await presence.GetAsync("u_a", None);
        Assert.False(after.Online);
        Assert.Equal(Stores.Start.AddSeconds(8), after.LastSeen);
    }

    [Fact]
    public async Task Disconnect_of_an_unknown_connection_changes_nothing()
    {
        await presence.ConnectAsync("u_a", "g1", "c1", None);

        Assert.Null(await presence.DisconnectAsync("u_a", "g1", "nope", None));
        Assert.Null(await presence.DisconnectAsync("u_a", "g2", "c1", None));
        Assert.Null(await presence.DisconnectAsync("u_ghost", "g1", "c1", None));
        Assert.True((await presence.GetAsync("u_a", None)).Online);
    }

    [Fact]
    public async Task Reconnecting_after_going_offline_counts_as_first_again()
    {
        await presence.ConnectAsync("u_a", "g1", "c1", None);
        await presence.DisconnectAsync("u_a", "g1", "c1", None);

        Assert.True(await presence.ConnectAsync("u_a", "g2", "c2", None));
    }

    [Fact]
    public async Task A_user_never_seen_is_offline_without_last_seen()
    {
        var status = await presence.GetAsync("u_new", None);

        Assert.False(status.Online);
        Assert.Null(status.LastSeen);
    }

    [Fact]
    public async Task Locate_groups_each_user_with_the_gateways_holding_them()
    {
        await presence.ConnectAsync("u_a", "g1", "c1", None);
        await presence.ConnectAsync("u_a", "g2", "c2", None);
        await presence.ConnectAsync("u_a", "g2", "c3", None);
        await presence.ConnectAsync("u_b", "g2", "c4", None);
        await presence.ConnectAsync("u_other", "g3", "c5", None);

        var located = await presence.LocateAsync(["u_a", "u_b", "u_offline"], None);

        Assert.Equal(["u_a", "u_b"], located.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["g1", "g2"], located["u_a"].Order(StringComparer.Ordinal));
        Assert.Equal(["g2"], located["u_b"]);
    }

    [Fact]
    public async Task A_gateway_whose_lease_expired_no_longer_counts()
    {
        await presence.ConnectAsync("u_a", "g1", "c1", None);
        await presence.ConnectAsync("u_a", "g2", "c2", None);
        await presence.ConnectAsync("u_b", "g1", "c3", None);
        time.Advance(TimeSpan.FromSeconds(20));
        await presence.RenewAsync("g2", None);
        time.Advance(TimeSpan.FromSeconds(11)); // g1 last renewed 31 s ago, g2 11 s ago

        var located = await presence.LocateAsync(["u_a", "u_b"], None);

        Assert.Equal(["u_a"], located.Keys);
        Assert.Equal(["g2"], located["u_a"]);
        Assert.False((await presence.GetAsync("u_b", None)).Online);
        Assert.True((await presence.GetAsync("u_a", None)).Online);
    }

    [Fact]
    public async Task A_renewed_gateway_keeps_counting_past_its_first_lease()
    {
        await presence.ConnectAsync("u_a", "g1", "c1", None);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(20));
            await presence.RenewAsync("g1", None);
        }

        Assert.Equal(["g1"], (await presence.LocateAsync(["u_a"], None))["u_a"]);
    }

    [Fact]
    public async Task Connecting_through_a_live_gateway_when_the_only_other_gateway_expired_counts_as_first()
    {
        await presence.ConnectAsync("u_a", "g1", "c1", None);
        time.Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.True(await presence.ConnectAsync("u_a", "g2", "c2", None));
        Assert.Equal(["g2"], (await presence.LocateAsync(["u_a"], None))["u_a"]);
    }

    [Fact]
    public async Task Renew_reports_a_lapsed_lease_and_a_swept_gateway_registers_its_users_again()
    {
        Assert.False(await presence.RenewAsync("g1", None));
        await presence.ConnectAsync("u_a", "g1", "c1", None);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await presence.RenewAsync("g1", None));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await presence.ExpireAsync(None));

        Assert.False(await presence.RenewAsync("g1", None));
        Assert.True(await presence.ConnectAsync("u_a", "g1", "c1", None));
        Assert.Equal(["g1"], (await presence.LocateAsync(["u_a"], None))["u_a"]);
    }
}
