using Dapr;
using Dapr.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Messenger.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Autogen = Dapr.Client.Autogen.Grpc.v1;

namespace Messenger.Sidecar.Tests;

/// <summary>The state API through the real DaprClient (gRPC), answered as daprd over a Redis store answers.</summary>
public sealed class StateApiTests : IAsyncLifetime
{
    private const string AppId = "stateapp";
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private TestDeployment deployment = null!;
    private Daprd.SidecarHost sidecar = null!;
    private DaprClient dapr = null!;

    public async Task InitializeAsync()
    {
        deployment = new TestDeployment(time);
        sidecar = await deployment.StartSidecarAsync(AppId);
        dapr = deployment.Client(sidecar);
    }

    public async Task DisposeAsync() => await deployment.DisposeAsync();

    [Fact]
    public async Task Saved_state_reads_back_with_a_version_etag_that_changes_on_every_write()
    {
        await dapr.SaveStateAsync(TestDeployment.StateStore, "k", new Widget("a", 1));
        var (first, etag1) = await dapr.GetStateAndETagAsync<Widget>(TestDeployment.StateStore, "k");
        await dapr.SaveStateAsync(TestDeployment.StateStore, "k", new Widget("b", 2));
        var (second, etag2) = await dapr.GetStateAndETagAsync<Widget>(TestDeployment.StateStore, "k");

        Assert.Equal(new Widget("a", 1), first);
        Assert.Equal(new Widget("b", 2), second);
        Assert.Equal("1", etag1);
        Assert.Equal("2", etag2);
        Assert.Null(await dapr.GetStateAsync<Widget?>(TestDeployment.StateStore, "missing"));
    }

    [Fact]
    public async Task A_stale_etag_is_answered_aborted_so_the_sdk_try_calls_return_false()
    {
        await dapr.SaveStateAsync(TestDeployment.StateStore, "k", new Widget("a", 1));
        var (_, etag) = await dapr.GetStateAndETagAsync<Widget>(TestDeployment.StateStore, "k");
        await dapr.SaveStateAsync(TestDeployment.StateStore, "k", new Widget("b", 2));

        Assert.False(await dapr.TrySaveStateAsync(TestDeployment.StateStore, "k", new Widget("c", 3), etag, FirstWrite));
        Assert.False(await dapr.TryDeleteStateAsync(TestDeployment.StateStore, "k", etag, FirstWrite));
        Assert.Equal(new Widget("b", 2), await dapr.GetStateAsync<Widget>(TestDeployment.StateStore, "k"));

        var (_, fresh) = await dapr.GetStateAndETagAsync<Widget>(TestDeployment.StateStore, "k");
        Assert.True(await dapr.TrySaveStateAsync(TestDeployment.StateStore, "k", new Widget("c", 3), fresh, FirstWrite));

        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);
        var raw = new Autogen.Dapr.DaprClient(channel);
        var request = new Autogen.SaveStateRequest { StoreName = TestDeployment.StateStore };
        request.States.Add(new Autogen.StateItem { Key = "k", Value = Google.Protobuf.ByteString.CopyFromUtf8("1"), Etag = new Autogen.Etag { Value = "1" } });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await raw.SaveStateAsync(request));
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.StartsWith("failed saving state in state store statestore: possible etag mismatch. error from state store:", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_write_without_etag_to_an_existing_key_is_refused_and_to_a_new_key_succeeds()
    {
        await dapr.SaveStateAsync(TestDeployment.StateStore, "fw", new Widget("a", 1), FirstWrite);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.SaveStateAsync(TestDeployment.StateStore, "fw", new Widget("b", 2), FirstWrite));
        Assert.Equal(StatusCode.Internal, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Equal(new Widget("a", 1), await dapr.GetStateAsync<Widget>(TestDeployment.StateStore, "fw"));
    }

    [Fact]
    public async Task A_key_containing_the_separator_is_refused_with_daprds_message()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.SaveStateAsync(TestDeployment.StateStore, "a||b", new Widget("a", 1)));
        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Equal("input key/keyPrefix 'a||b' can't contain '||'", rpc.Status.Detail);
        await Assert.ThrowsAsync<DaprException>(() => dapr.GetStateAsync<Widget>(TestDeployment.PlainStore, "x||y"));
    }

    [Fact]
    public async Task Keys_are_stored_with_the_prefix_of_the_stores_key_prefix_strategy()
    {
        await dapr.SaveStateAsync(TestDeployment.StateStore, "k1", 1);
        await dapr.SaveStateAsync(TestDeployment.PlainStore, "k2", 2);
        await dapr.SaveStateAsync(TestDeployment.NamedStore, "k3", 3);

        Assert.Equal(["stateapp||k1"], deployment.Infrastructure.Store(TestDeployment.StateStore)!.Keys(string.Empty));
        Assert.Equal(["k2"], deployment.Infrastructure.Store(TestDeployment.PlainStore)!.Keys(string.Empty));
        Assert.Equal(["namedstore||k3"], deployment.Infrastructure.Store(TestDeployment.NamedStore)!.Keys(string.Empty));

        // Another app id sees its own keys in an appid-prefixed store and the same keys in an unprefixed one.
        var other = deployment.Client(await deployment.StartSidecarAsync("otherapp"));
        Assert.Equal(0, await other.GetStateAsync<int>(TestDeployment.StateStore, "k1"));
        Assert.Equal(2, await other.GetStateAsync<int>(TestDeployment.PlainStore, "k2"));
    }

    [Fact]
    public async Task A_bulk_read_answers_every_key_asked_with_values_and_etags_of_those_present()
    {
        var keys = Enumerable.Range(0, 20).Select(i => $"bulk-{i}").ToList();
        foreach (var key in keys.Take(15))
        {
            await dapr.SaveStateAsync(TestDeployment.StateStore, key, key);
        }

        var items = await dapr.GetBulkStateAsync<string?>(TestDeployment.StateStore, keys, parallelism: 4);

        Assert.Equal(keys.Order(), items.Select(i => i.Key).Order());
        Assert.All(items.Where(i => keys.IndexOf(i.Key) < 15), i => Assert.Equal((i.Key, "1"), (i.Value, i.ETag)));
        Assert.All(items.Where(i => keys.IndexOf(i.Key) >= 15), i => Assert.Null(i.Value));
    }

    [Fact]
    public async Task A_transaction_with_a_stale_etag_writes_nothing()
    {
        await dapr.SaveStateAsync(TestDeployment.StateStore, "t1", "old");
        await dapr.SaveStateAsync(TestDeployment.StateStore, "t2", "old");
        await dapr.SaveStateAsync(TestDeployment.StateStore, "t2", "newer");

        var operations = new List<StateTransactionRequest>
        {
            new("t1", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes("new"), StateOperationType.Upsert),
            new("t2", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes("new"), StateOperationType.Upsert, etag: "1"),
            new("t3", null, StateOperationType.Delete),
        };
        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.ExecuteStateTransactionAsync(TestDeployment.StateStore, operations));

        Assert.Equal(StatusCode.Internal, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Equal("old", await dapr.GetStateAsync<string>(TestDeployment.StateStore, "t1"));
        Assert.Equal("newer", await dapr.GetStateAsync<string>(TestDeployment.StateStore, "t2"));

        operations[1] = new("t2", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes("new"), StateOperationType.Upsert, etag: "2");
        await dapr.ExecuteStateTransactionAsync(TestDeployment.StateStore, operations);
        Assert.Equal("new", await dapr.GetStateAsync<string>(TestDeployment.StateStore, "t1"));
        Assert.Equal("new", await dapr.GetStateAsync<string>(TestDeployment.StateStore, "t2"));
    }

    [Fact]
    public async Task A_value_written_with_ttl_in_seconds_is_gone_once_the_ttl_passed()
    {
        var ttl = new Dictionary<string, string> { ["ttlInSeconds"] = "5" };
        await dapr.SaveStateAsync(TestDeployment.StateStore, "short", "lived", metadata: ttl);
        await dapr.SaveStateAsync(TestDeployment.StateStore, "long", "lived");

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("lived", await dapr.GetStateAsync<string>(TestDeployment.StateStore, "short"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await dapr.GetStateAsync<string?>(TestDeployment.StateStore, "short"));
        Assert.Equal("lived", await dapr.GetStateAsync<string>(TestDeployment.StateStore, "long"));
    }

    [Fact]
    public async Task Secrets_come_from_the_local_file_named_by_the_secret_store_component()
    {
        var secret = await dapr.GetSecretAsync(TestDeployment.SecretStore, "db-password");
        var all = await dapr.GetBulkSecretAsync(TestDeployment.SecretStore);

        Assert.Equal("hunter2", secret["db-password"]);
        Assert.Equal("value", all["nested:key"]["nested:key"]);
        await Assert.ThrowsAsync<DaprException>(() => dapr.GetSecretAsync(TestDeployment.SecretStore, "absent"));
    }

    [Fact]
    public async Task State_reads_and_writes_are_counted_per_app()
    {
        await dapr.SaveStateAsync(TestDeployment.StateStore, "c", 1);
        await dapr.GetStateAsync<int>(TestDeployment.StateStore, "c");
        await dapr.GetBulkStateAsync(TestDeployment.StateStore, ["c", "d"], parallelism: 1);

        Assert.Equal(3, deployment.Infrastructure.Counters.Get(AppId, Operation.StateRead));
        Assert.Equal(1, deployment.Infrastructure.Counters.Get(AppId, Operation.StateWrite));
    }

    private sealed record Widget(string Name, int Size);
}
