using Messenger.Core.Ports;
using Messenger.Dapr.Presence;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Dapr.Tests;

/// <summary>
/// The Dapr presence directory (over the in-memory DaprClient fake) against the contract every presence directory
/// keeps, and what only it does: leases with a TTL, the gateway registry, a sweep racing a renewal.
/// </summary>
public sealed class DaprPresenceDirectoryTests : PresenceDirectoryContract
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryDapr dapr;
    private readonly DaprPresenceDirectory presence;

    public DaprPresenceDirectoryTests()
    {
        dapr = new InMemoryDapr(time);
        var options = Options.Create(new DaprOptions { GatewayLease = Lease });
        presence = new DaprPresenceDirectory(new StateRecords(dapr.Client, options), time, options);
    }

    protected override IPresenceDirectory Presence => presence;

    protected override DateTimeOffset Now => time.GetUtcNow();

    protected override void Advance(TimeSpan time) => this.time.Advance(time);

    [Fact]
    public async Task Connects_to_one_gateway_at_once_take_turns_on_its_user_lists_instead_of_racing_for_them()
    {
        // Two users of one users shard connect at once; a read of the shard lets the other reader in before it answers.
        var users = Enumerable.Range(0, 64).Select(i => $"u_{i}").GroupBy(StateKeys.ShardOf).First(g => g.Count() >= 2).Take(2).ToArray();
        var shard = StateKeys.GatewayUsers("g1", StateKeys.ShardOf(users[0]));
        var bothRead = new TaskCompletionSource();
        var reads = 0;
        dapr.AfterETagRead = key => key != shard ? Task.CompletedTask
            : Interlocked.Increment(ref reads) >= 2 ? Task.Run(bothRead.TrySetResult) : Task.WhenAny(bothRead.Task, Task.Delay(200));
        var once = Options.Create(new DaprOptions { GatewayLease = Lease, ConcurrencyRetries = 1 });
        var directory = new DaprPresenceDirectory(new StateRecords(dapr.Client, once), time, once);

        await Task.WhenAll(users.Select((user, i) => directory.ConnectAsync(user, "g1", $"k{i}", default)));

        Assert.Equal(users.Order(StringComparer.Ordinal), dapr.Read<GatewayUsers>(DaprNames.StateStore, shard)!.Ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Connects_write_the_lease_once_while_it_holds_for_half_its_length_and_again_after()
    {
        int LeaseWrites() => dapr.Mock.Invocations.Count(i => i.Method.Name == "SaveStateAsync" && (string)i.Arguments[1] == StateKeys.GatewayLease("g1"));
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        await presence.ConnectAsync("u_b", "g1", "k2", default);
        time.Advance(Lease / 2 - TimeSpan.FromSeconds(1));
        await presence.ConnectAsync("u_c", "g1", "k3", default);
        Assert.Equal(1, LeaseWrites());

        time.Advance(TimeSpan.FromSeconds(2));
        await presence.ConnectAsync("u_d", "g1", "k4", default);

        Assert.Equal(2, LeaseWrites());
    }

    [Fact]
    public async Task A_sweep_takes_a_dead_gateway_out_of_the_registry()
    {
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        await presence.ConnectAsync("u_b", "g1", "k2", default);
        await presence.ConnectAsync("u_b", "g2", "k3", default);
        time.Advance(TimeSpan.FromSeconds(25));
        await presence.RenewAsync("g2", default);
        time.Advance(TimeSpan.FromSeconds(10));

        await presence.ExpireAsync(default);

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

    [Fact]
    public async Task Routing_reads_a_gateways_lease_once_while_the_lease_holds()
    {
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        var router = OtherProcess();
        var leaseReads = 0;
        dapr.BeforeBulkRead = keys => leaseReads += keys.Count(k => k == StateKeys.GatewayLease("g1"));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(["g1"], (await router.LocateAsync(["u_a"], default))["u_a"]);
            time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(1, leaseReads);
    }

    [Fact]
    public async Task A_lease_known_to_have_run_out_is_read_again_so_a_gateway_that_renewed_counts_and_one_that_did_not_stays_dead()
    {
        await presence.ConnectAsync("u_a", "g1", "k1", default);
        await presence.ConnectAsync("u_b", "g2", "k2", default);
        var router = OtherProcess();
        Assert.Equal(2, (await router.LocateAsync(["u_a", "u_b"], default)).Count);

        time.Advance(TimeSpan.FromSeconds(25));
        await presence.RenewAsync("g1", default);
        time.Advance(TimeSpan.FromSeconds(10));

        var found = await router.LocateAsync(["u_a", "u_b"], default);
        Assert.Equal(["g1"], found["u_a"]);
        Assert.False(found.ContainsKey("u_b"));
    }

    /// <summary>A directory of another app over the same store (its own memory of leases).</summary>
    private DaprPresenceDirectory OtherProcess()
    {
        var options = Options.Create(new DaprOptions { GatewayLease = Lease });
        return new DaprPresenceDirectory(new StateRecords(dapr.Client, options), time, options);
    }
}
