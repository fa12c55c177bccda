using Dapr.Client;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Dapr.Tests;

public sealed class StateRecordsTests
{
    private sealed record Counter(int Value);

    private readonly InMemoryDapr dapr = new();

    [Fact]
    public async Task An_update_that_meets_another_writer_tries_again_and_keeps_both_changes()
    {
        var records = new StateRecords(dapr.Client, Options.Create(new DaprOptions()));
        dapr.Write(DaprNames.StateStore, "k", new Counter(1));
        var interfered = false;

        await records.UpdateAsync<Counter>(DaprNames.StateStore, "k", current =>
        {
            if (!interfered)
            {
                interfered = true;
                dapr.Write(DaprNames.StateStore, "k", new Counter(current!.Value + 10));
            }

            return new Counter(current!.Value + 1);
        }, default);

        Assert.Equal(12, dapr.Read<Counter>(DaprNames.StateStore, "k")!.Value);
    }

    [Fact]
    public async Task Insert_if_absent_returns_what_the_first_writer_stored()
    {
        var records = new StateRecords(dapr.Client, Options.Create(new DaprOptions()));

        var first = await records.InsertIfAbsentAsync(DaprNames.StateStore, "pair", new Counter(1), default);
        var second = await records.InsertIfAbsentAsync(DaprNames.StateStore, "pair", new Counter(2), default);

        Assert.Equal(1, first.Value);
        Assert.Equal(1, second.Value);
    }

    [Fact]
    public async Task An_update_under_endless_conflicts_gives_up_instead_of_looping()
    {
        var client = new Mock<DaprClient>(MockBehavior.Strict);
        client.Setup(d => d.GetStateAndETagAsync<Counter?>(DaprNames.StateStore, "k", ConsistencyMode.Strong, null, default))
            .ReturnsAsync((new Counter(1), "1"));
        client.Setup(d => d.TrySaveStateAsync(DaprNames.StateStore, "k", It.IsAny<Counter?>(), "1", It.IsAny<StateOptions>(), null, default))
            .ReturnsAsync(false);
        var records = new StateRecords(client.Object, Options.Create(new DaprOptions { ConcurrencyRetries = 3 }));

        await Assert.ThrowsAsync<InvalidOperationException>(() => records.UpdateAsync<Counter>(DaprNames.StateStore, "k", c => new Counter(c!.Value + 1), default));

        client.Verify(d => d.TrySaveStateAsync(DaprNames.StateStore, "k", It.IsAny<Counter?>(), "1", It.Is<StateOptions>(o => o.Concurrency == ConcurrencyMode.FirstWrite), null, default), Times.Exactly(3));
    }

    [Fact]
    public async Task An_update_that_changes_nothing_writes_nothing()
    {
        var records = new StateRecords(dapr.Client, Options.Create(new DaprOptions()));
        dapr.Write(DaprNames.StateStore, "k", new Counter(1));

        await records.UpdateAsync<Counter>(DaprNames.StateStore, "k", current => current, default);

        Assert.Equal(0, dapr.CallsTo(nameof(DaprClient.TrySaveStateAsync)));
    }
}
