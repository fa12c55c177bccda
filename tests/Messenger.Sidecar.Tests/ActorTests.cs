using Dapr.Actors;
using Dapr.Actors.Client;
using Messenger.Sidecar.Tests.Apps;
using Messenger.Sidecar.Tests.Infrastructure;

namespace Messenger.Sidecar.Tests;

/// <summary>Actor proxies (the real SDK over HTTP) calling into the real actor runtime of test apps through the
/// doubles: placement, turn-based concurrency and the actor state store.</summary>
public sealed class ActorTests : IAsyncLifetime
{
    private const string AppId = "actors";
    private readonly TestDeployment deployment = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await deployment.DisposeAsync();

    [Fact]
    public async Task Calls_to_one_actor_id_never_overlap_while_calls_to_different_ids_do()
    {
        var (sidecar, app) = await deployment.StartAppAsync(AppId, "host");
        var actors = Proxies(sidecar);

        var sameId = Enumerable.Range(0, 6).Select(_ => Proxy(actors, "one").HoldAsync(60));
        var otherIds = Enumerable.Range(0, 6).Select(i => Proxy(actors, $"other-{i}").HoldAsync(200));
        await Task.WhenAll(sameId.Concat(otherIds));

        Assert.Empty(app.Identity.Overlaps);
        Assert.True(app.Identity.MaxConcurrentAcrossIds > 1, "calls to different actor ids ran one at a time");
    }

    [Fact]
    public async Task The_sidecar_runs_one_call_at_a_time_per_actor_id_even_for_an_app_that_does_not_lock()
    {
        var appPort = FreePort.Take();
        await using var raw = await RawActorApp.StartAsync(appPort, TimeSpan.FromMilliseconds(40));
        var sidecar = await deployment.StartSidecarAsync(AppId, "raw", appPort);
        await sidecar.Connected.WaitAsync(TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = sidecar.HttpEndpoint };

        // One path with a doubled slash, as the SDK sends when its endpoint ends with one (daprd cleans it).
        var calls = Enumerable.Range(0, 8).Select(i => http.PutAsync(new Uri($"{sidecar.HttpEndpoint}{(i == 0 ? "/" : string.Empty)}v1.0/actors/{RawActorApp.ActorType}/{(i % 2 == 0 ? "even" : "odd")}/method/hold"), null));
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Equal(8, raw.Calls);
        Assert.Empty(raw.Overlaps);
    }

    [Fact]
    public async Task Every_actor_id_is_placed_on_exactly_one_of_the_instances_that_host_its_type()
    {
        var (sidecar1, _) = await deployment.StartAppAsync(AppId, "host-1");
        var (sidecar2, _) = await deployment.StartAppAsync(AppId, "host-2");
        var viaFirst = Proxies(sidecar1);
        var viaSecond = Proxies(sidecar2);
        var ids = Enumerable.Range(0, 20).Select(i => $"actor-{i}").ToList();

        var placed = new Dictionary<string, string>();
        foreach (var id in ids)
        {
            var first = await Proxy(viaFirst, id).WhereAsync();
            var second = await Proxy(viaSecond, id).WhereAsync();
            Assert.Equal(first, second);
            placed[id] = first;
        }

        Assert.Equal(["host-1", "host-2"], placed.Values.Distinct().Order());
    }

    [Fact]
    public async Task Actor_state_is_kept_under_appid_type_id_and_key_in_the_actor_state_store()
    {
        var (sidecar, _) = await deployment.StartAppAsync(AppId, "host");
        var counter = Proxy(Proxies(sidecar), "c-1");

        Assert.Equal(1, await counter.IncrementAsync());
        Assert.Equal(2, await counter.IncrementAsync());

        var store = deployment.Infrastructure.Store(TestDeployment.StateStore)!;
        Assert.Equal([$"{AppId}||{TestApp.ActorType}||c-1||{CounterActor.CountState}"], store.Keys(string.Empty));
        Assert.Equal("2", System.Text.Encoding.UTF8.GetString(store.Get($"{AppId}||{TestApp.ActorType}||c-1||{CounterActor.CountState}")!.Value));
        Assert.Equal(2, deployment.Infrastructure.Counters.Get(AppId, Operation.ActorCall));
    }

    [Fact]
    public async Task A_call_to_an_actor_type_no_app_hosts_fails()
    {
        var sidecar = await deployment.StartSidecarAsync("caller");
        var proxy = new ActorProxyFactory(new ActorProxyOptions { HttpEndpoint = sidecar.HttpEndpoint.ToString().TrimEnd('/') })
            .CreateActorProxy<ICounterActor>(new ActorId("x"), "NobodyHostsThis");

        await Assert.ThrowsAnyAsync<Exception>(() => proxy.WhereAsync());
    }

    private static ActorProxyFactory Proxies(Daprd.SidecarHost sidecar) =>
        new(new ActorProxyOptions { HttpEndpoint = sidecar.HttpEndpoint.ToString().TrimEnd('/') });

    [Fact]
    public async Task The_doubles_own_time_per_actor_call_leaves_out_the_apps_answer_and_the_turn_awaited()
    {
        var (sidecar, _) = await deployment.StartAppAsync(AppId, "host");
        var actors = Proxies(sidecar);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Proxy(actors, "slow").HoldAsync(300)));

        var hops = deployment.Infrastructure.Hops.Snapshot();
        Assert.Equal(3, hops["http actor method"].Count);
        Assert.True(hops["http actor method"].Max < 250, $"the double's own share took {hops["http actor method"].Max} ms of calls that each held 300 ms");
        Assert.True(hops["actor turn wait"].Max >= 550, $"the third call waited {hops["actor turn wait"].Max} ms for its turn");
    }

    private static ICounterActor Proxy(ActorProxyFactory factory, string id) =>
        factory.CreateActorProxy<ICounterActor>(new ActorId(id), TestApp.ActorType);
}
