using Messenger.Core.Ports;

namespace Messenger.Testing;

/// <summary>
/// What every <see cref="IPresenceDirectory"/> must do, whatever holds it (one process, or Dapr state shared by many).
/// A concrete subclass per adapter supplies the directory, made with a gateway lease of <see cref="Lease"/>, over a
/// clock of its own that <see cref="Advance"/> moves; adapter-specific tests live beside it.
/// </summary>
public abstract class PresenceDirectoryContract
{
    /// <summary>The gateway lease the directory under test must be made with.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The directory under test.</summary>
    protected abstract IPresenceDirectory Presence { get; }

    /// <summary>The directory's clock now.</summary>
    protected abstract DateTimeOffset Now { get; }

    /// <summary>Moves the directory's clock forward.</summary>
    protected abstract void Advance(TimeSpan time);

    [Fact]
    public async Task Connect_is_true_for_the_first_connection_and_false_for_the_next()
    {
        Assert.True(await Presence.ConnectAsync("u_a", "g1", "c1", None));
        Assert.False(await Presence.ConnectAsync("u_a", "g1", "c2", None));
        Assert.False(await Presence.ConnectAsync("u_a", "g2", "c3", None));
        Assert.True(await Presence.ConnectAsync("u_b", "g1", "c4", None));

        var status = await Presence.GetAsync("u_a", None);
        Assert.True(status.Online);
        Assert.Null(status.LastSeen);
    }

    [Fact]
    public async Task Disconnect_of_the_last_connection_returns_last_seen()
    {
        var start = Now;
        await Presence.ConnectAsync("u_a", "g1", "c1", None);
        await Presence.ConnectAsync("u_a", "g2", "c2", None);
        Advance(TimeSpan.FromSeconds(5));

        Assert.Null(await Presence.DisconnectAsync("u_a", "g1", "c1", None));
        Advance(TimeSpan.FromSeconds(3));
        var status = await Presence.DisconnectAsync("u_a", "g2", "c2", None);

        Assert.NotNull(status);
        Assert.Equal("u_a", status.UserId);
        Assert.False(status.Online);
        Assert.Equal(start.AddSeconds(8), status.LastSeen);
        var after = await Presence.GetAsync("u_a", None);
        Assert.False(after.Online);
        Assert.Equal(start.AddSeconds(8), after.LastSeen);
    }

    [Fact]
    public async Task First_connection_brings_a_user_online_and_the_last_takes_them_offline()
    {
        Assert.True(await Presence.ConnectAsync("u_a", "g1", "k1", None));
        Assert.False(await Presence.ConnectAsync("u_a", "g2", "k2", None));
        Assert.Null(await Presence.DisconnectAsync("u_a", "g1", "k1", None));
        Advance(TimeSpan.FromSeconds(3));
        var offline = await Presence.DisconnectAsync("u_a", "g2", "k2", None);

        Assert.NotNull(offline);
        Assert.False(offline.Online);
        Assert.Equal(Now, offline.LastSeen);
        Assert.Equal(offline.LastSeen, (await Presence.GetAsync("u_a", None)).LastSeen);
        Assert.Null(await Presence.DisconnectAsync("u_a", "g2", "k2", None));
    }

    [Fact]
    public async Task Disconnect_of_an_unknown_connection_changes_nothing()
    {
        await Presence.ConnectAsync("u_a", "g1", "c1", None);

        Assert.Null(await Presence.DisconnectAsync("u_a", "g1", "nope", None));
        Assert.Null(await Presence.DisconnectAsync("u_a", "g2", "c1", None));
        Assert.Null(await Presence.DisconnectAsync("u_ghost", "g1", "c1", None));
        Assert.True((await Presence.GetAsync("u_a", None)).Online);
    }

    [Fact]
    public async Task Reconnecting_after_going_offline_counts_as_first_again()
    {
        await Presence.ConnectAsync("u_a", "g1", "c1", None);
        await Presence.DisconnectAsync("u_a", "g1", "c1", None);

        Assert.True(await Presence.ConnectAsync("u_a", "g2", "c2", None));
    }

    [Fact]
    public async Task A_user_never_seen_is_offline_without_last_seen()
    {
        var status = await Presence.GetAsync("u_new", None);

        Assert.False(status.Online);
        Assert.Null(status.LastSeen);
    }

    [Fact]
    public async Task Locate_groups_each_user_with_the_gateways_holding_them()
    {
        await Presence.ConnectAsync("u_a", "g1", "c1", None);
        await Presence.ConnectAsync("u_a", "g2", "c2", None);
        await Presence.ConnectAsync("u_a", "g2", "c3", None);
        await Presence.ConnectAsync("u_b", "g2", "c4", None);
        await Presence.ConnectAsync("u_other", "g3", "c5", None);

        var located = await Presence.LocateAsync(["u_a", "u_b", "u_offline"], None);

        Assert.Equal(["u_a", "u_b"], located.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["g1", "g2"], located["u_a"].Order(StringComparer.Ordinal));
        Assert.Equal(["g2"], located["u_b"]);
    }

    [Fact]
    public async Task A_gateway_whose_lease_expired_no_longer_counts()
    {
        await Presence.ConnectAsync("u_a", "g1", "c1", None);
        await Presence.ConnectAsync("u_a", "g2", "c2", None);
        await Presence.ConnectAsync("u_b", "g1", "c3", None);
        Advance(TimeSpan.FromSeconds(20));
        await Presence.RenewAsync("g2", None);
        Advance(TimeSpan.FromSeconds(11)); // g1 last renewed 31 s ago, g2 11 s ago

        var located = await Presence.LocateAsync(["u_a", "u_b"], None);

        Assert.Equal(["u_a"], located.Keys);
        Assert.Equal(["g2"], located["u_a"]);
        Assert.False((await Presence.GetAsync("u_b", None)).Online);
        Assert.True((await Presence.GetAsync("u_a", None)).Online);
    }

    [Fact]
    public async Task Locate_names_only_gateways_whose_lease_lives()
    {
        await Presence.ConnectAsync("u_a", "g1", "k1", None);
        await Presence.ConnectAsync("u_b", "g2", "k2", None);
        Advance(TimeSpan.FromSeconds(20));
        await Presence.RenewAsync("g2", None);
        Advance(TimeSpan.FromSeconds(15));

        var found = await Presence.LocateAsync(["u_a", "u_b", "u_c"], None);

        Assert.Equal(["u_b"], found.Keys);
        Assert.Equal(["g2"], found["u_b"]);
        Assert.False((await Presence.GetAsync("u_a", None)).Online);
        Assert.True((await Presence.GetAsync("u_b", None)).Online);
    }

    [Fact]
    public async Task A_renewed_gateway_keeps_counting_past_its_first_lease()
    {
        await Presence.ConnectAsync("u_a", "g1", "c1", None);
        for (var i = 0; i < 5; i++)
        {
            Advance(TimeSpan.FromSeconds(20));
            await Presence.RenewAsync("g1", None);
        }

        Assert.Equal(["g1"], (await Presence.LocateAsync(["u_a"], None))["u_a"]);
    }

    [Fact]
    public async Task Connecting_through_a_live_gateway_when_the_only_other_gateway_expired_counts_as_first()
    {
        await Presence.ConnectAsync("u_a", "g1", "c1", None);
        Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.True(await Presence.ConnectAsync("u_a", "g2", "c2", None));
        Assert.Equal(["g2"], (await Presence.LocateAsync(["u_a"], None))["u_a"]);
    }

    [Fact]
    public async Task A_sweep_takes_the_users_of_a_dead_gateway_offline_once_with_its_last_renewal_as_lastSeen()
    {
        await Presence.ConnectAsync("u_a", "g1", "k1", None);
        await Presence.ConnectAsync("u_b", "g1", "k2", None);
        await Presence.ConnectAsync("u_b", "g2", "k3", None);
        var lastHeard = Now;
        Advance(TimeSpan.FromSeconds(25));
        await Presence.RenewAsync("g2", None);
        Advance(TimeSpan.FromSeconds(10));

        var offline = await Presence.ExpireAsync(None);
        var again = await Presence.ExpireAsync(None);

        var a = Assert.Single(offline);
        Assert.Equal("u_a", a.UserId);
        Assert.Equal(lastHeard, a.LastSeen);
        Assert.Empty(again);
        Assert.True((await Presence.GetAsync("u_b", None)).Online);
    }

    [Fact]
    public async Task Renew_reports_a_lapsed_lease_and_a_swept_gateway_registers_its_users_again()
    {
        Assert.False(await Presence.RenewAsync("g1", None));
        await Presence.ConnectAsync("u_a", "g1", "c1", None);
        Advance(TimeSpan.FromSeconds(20));
        Assert.True(await Presence.RenewAsync("g1", None));
        Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await Presence.ExpireAsync(None));

        Assert.False(await Presence.RenewAsync("g1", None));
        Assert.True(await Presence.ConnectAsync("u_a", "g1", "c1", None));
        Assert.Equal(["g1"], (await Presence.LocateAsync(["u_a"], None))["u_a"]);
    }
}
