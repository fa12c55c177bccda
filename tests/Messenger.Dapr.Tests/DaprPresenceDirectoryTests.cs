using Messenger.Dapr.Presence;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Dapr.Tests;

public sealed class DaprPresenceDirectoryTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryDapr dapr;
    private readonly DaprPresenceDirectory presence;

    public DaprPresenceDirectoryTests()
    {
        dapr = new InMemoryDapr(time);
        var options = Options.Create(new DaprOptions { GatewayLease = TimeSpan.FromSeconds(30) });
        presence = new DaprPresenceDirectory(new StateRecords(dapr.Client, options), time, options);
    }

    [Fact]
    public async Task First_connection_brings_a_user_online_and_the_last_takes_them_offline()
    {
        Assert.True(await presence.ConnectAsync("u_a", "g1", "k1", default));
        Assert.False(await presence.ConnectAsync("u_a", "g2", "k2", default));
        Assert.Null(await presence.DisconnectAsync("u_a", "g1", "k1", default));
        time.Advance(TimeSpan.FromSeconds(3));
        var offline = await presence.DisconnectAsync("u_a", "g2", "k2", default);

        Assert.NotNull(offline);
        Assert.False(offline.Online);
        Assert.Equal(time.GetUtcNow(), offline.LastSeen);
        Assert.Equal(offline.LastSeen, (await presence.GetAsync("u_a", default)).LastSeen);
        Assert.Null(await presence.DisconnectAsync("u_a", "g2", "k2", default));
    }

    [Fact]
    public async Task Locate_names_only_gateways_whose_lease_lives()
    {
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        await presence.ConnectAsync("u_b", "g2", "k2", default);
        time.Advance(TimeSpan.FromSeconds(20));
        await presence.RenewAsync("g2", default);
        time.Advance(TimeSpan.FromSeconds(15));

        var found = await presence.LocateAsync(["u_a", "u_b", "u_c"], default);

        Assert.Equal(["u_b"], found.Keys);
        Assert.Equal(["g2"], found["u_b"]);
        Assert.False((await presence.GetAsync("u_a", default)).Online);
        Assert.True((await presence.GetAsync("u_b", default)).Online);
    }

    [Fact]
    public async Task A_sweep_takes_the_users_of_a_dead_gateway_offline_once_with_its_last_renewal_as_lastSeen()
    {
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        await presence.ConnectAsync("u_b", "g1", "k2", default);
        await presence.ConnectAsync("u_b", "g2", "k3", default);
        var lastHeard = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(25));
        await presence.RenewAsync("g2", default);
        time.Advance(TimeSpan.FromSeconds(10));

        var offline = await presence.ExpireAsync(default);
        var again = await presence.ExpireAsync(default);

        var a = Assert.Single(offline);
        Assert.Equal("u_a", a.UserId);
        Assert.Equal(lastHeard, a.LastSeen);
        Assert.Empty(again);
        Assert.True((await presence.GetAsync("u_b", default)).Online);
        Assert.DoesNotContain("g1", dapr.Read<GatewayRegistry>(DaprNames.StateStore, StateKeys.Gateways)!.Ids);
    }

    [Fact]
    public async Task The_lease_is_written_with_a_ttl()
    {
        await presence.RenewAsync("g1", default);

        var stored = dapr.Get(DaprNames.StateStore, StateKeys.GatewayLease("g1"));
        Assert.NotNull(stored!.ExpiresAt);
        Assert.Equal(time.GetUtcNow().AddSeconds(30), dapr.Read<GatewayLease>(DaprNames.StateStore, StateKeys.GatewayLease("g1"))!.ExpiresAt);
    }

    [Fact]
    public async Task Renew_reports_a_lapsed_lease_and_a_swept_gateway_registers_its_users_again()
    {
        Assert.False(await presence.RenewAsync("g1", default));
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await presence.RenewAsync("g1", default));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await presence.ExpireAsync(default));

        Assert.False(await presence.RenewAsync("g1", default));
        Assert.True(await presence.ConnectAsync("u_a", "g1", "k1", default));
        Assert.Equal(["g1"], (await presence.LocateAsync(["u_a"], default))["u_a"]);
    }

    [Fact]
    public async Task A_sweep_keeps_the_connections_of_a_gateway_that_renewed_while_the_sweep_ran()
    {
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        time.Advance(TimeSpan.FromSeconds(31));

        // The sweep has found g1's lease run out; as it reads g1's users, g1 renews (a gateway that was only slow).
        dapr.BeforeBulkRead = keys =>
        {
            if (keys.Contains(StateKeys.GatewayUsers("g1", StateKeys.ShardOf("u_a"))))
            {
                dapr.Write(DaprNames.StateStore, StateKeys.GatewayLease("g1"), new GatewayLease(time.GetUtcNow().AddSeconds(30)));
            }
        };
        var offline = await presence.ExpireAsync(default);
        dapr.BeforeBulkRead = null;

        Assert.Empty(offline);
        Assert.Equal(["g1"], (await presence.LocateAsync(["u_a"], default))["u_a"]);
        Assert.Contains("g1", dapr.Read<GatewayRegistry>(DaprNames.StateStore, StateKeys.Gateways)!.Ids);
        Assert.Contains("u_a", dapr.Read<GatewayUsers>(DaprNames.StateStore, StateKeys.GatewayUsers("g1", StateKeys.ShardOf("u_a")))!.Ids);
    }
}
