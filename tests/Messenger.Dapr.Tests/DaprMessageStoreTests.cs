using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Dapr.Actors;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Dapr.Tests;

/// <summary>History through the read-through cache, and conversation lists through the actors.</summary>
public sealed class DaprMessageStoreTests : IDisposable
{
    private const string ConversationId = "c_1";
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();
    private readonly Mock<IActorProxyFactory> actors = new(MockBehavior.Strict);
    private readonly Dictionary<string, Mock<IConversationActor>> conversations = [];
    private readonly ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener listener = new();
    private long hits;
    private long misses;

    public DaprMessageStoreTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CacheMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == CacheMetrics.HitsName)
            {
                Interlocked.Add(ref hits, value);
            }
            else if (instrument.Name == CacheMetrics.MissesName)
            {
                Interlocked.Add(ref misses, value);
            }
        });
        listener.Start();
        actors.Setup(a => a.CreateActorProxy<IConversationActor>(It.IsAny<ActorId>(), DaprNames.ConversationActorType, null))
            .Returns((ActorId id, string _, ActorProxyOptions? _) => conversations[id.GetId()].Object);
    }

    [Fact]
    public async Task Newest_page_is_the_last_messages_ascending_and_nothing_above_lastSeq_is_read()
    {
        Conversation(ConversationId, lastSeq: 120, "u_a");
        StoreMessages(121);

        var page = await Store().GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 50), default);

        Assert.Equal(Enumerable.Range(71, 50).Select(i => (long)i), page.Select(m => m.Seq));
    }

    [Theory]
    [InlineData(10L, null, 5, 11L, 15L)]
    [InlineData(null, 10L, 5, 5L, 9L)]
    [InlineData(95L, 99L, 50, 96L, 98L)]
    [InlineData(118L, null, 50, 119L, 120L)]
    public async Task Pages_before_and_after_a_seq_match_the_contract(long? after, long? before, int limit, long first, long last)
    {
        Conversation(ConversationId, lastSeq: 120, "u_a");
        StoreMessages(120);

        var page = await Store().GetMessagesAsync(ConversationId, HistoryQuery.Create(after, before, limit), default);

        Assert.Equal(first, page[0].Seq);
        Assert.Equal(last, page[^1].Seq);
        Assert.Equal(last - first + 1, page.Count);
    }

    [Fact]
    public async Task A_second_read_of_a_page_is_served_by_the_cache_and_counted_as_hits()
    {
        Conversation(ConversationId, lastSeq: 60, "u_a");
        StoreMessages(60);
        var store = Store();

        await store.GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 20), default);
        var messageReads = dapr.CallsTo(nameof(DaprClient.GetBulkStateAsync));
        var again = await store.GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 20), default);

        Assert.Equal(Enumerable.Range(41, 20).Select(i => (long)i), again.Select(m => m.Seq));
        Assert.Equal(messageReads + 1, dapr.CallsTo(nameof(DaprClient.GetBulkStateAsync)));
        Assert.Equal(2, Interlocked.Read(ref misses));
        Assert.Equal(2, Interlocked.Read(ref hits));
        Assert.True(dapr.Get(DaprNames.CacheStore, StateKeys.HistoryBlock(ConversationId, 0))!.ExpiresAt is not null);
    }

    [Fact]
    public async Task A_cached_block_that_grew_is_completed_from_the_state_store()
    {
        var conversation = Conversation(ConversationId, lastSeq: 10, "u_a");
        StoreMessages(30);
        var store = Store();
        await store.GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 50), default);
        conversation.Setup(c => c.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(State(ConversationId, 30, "u_a"));

        var page = await store.GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 50), default);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), page.Select(m => m.Seq));
        Assert.Equal(30, dapr.Read<HistoryBlock>(DaprNames.CacheStore, StateKeys.HistoryBlock(ConversationId, 0))!.Items.Length);
    }

    [Fact]
    public async Task When_the_cache_is_down_history_comes_from_the_state_store()
    {
        Conversation(ConversationId, lastSeq: 5, "u_a");
        StoreMessages(5);
        dapr.DownStores.Add(DaprNames.CacheStore);

        var page = await Store().GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 50), default);

        Assert.Equal(5, page.Count);
    }

    [Fact]
    public async Task The_list_is_most_recent_first_and_skips_conversations_the_user_left()
    {
        dapr.Write(DaprNames.StateStore, StateKeys.UserConversations("u_a"), new ConversationIndex(["c_old", "c_new", "c_left"]));
        Conversation("c_old", 1, "u_a", activity: Start);
        Conversation("c_new", 1, "u_a", activity: Start.AddHours(1));
        Conversation("c_left", 1, "u_b");

        var list = await Store().ListConversationsAsync("u_a", default);
        var contacts = await Store().GetContactIdsAsync("u_a", default);

        Assert.Equal(["c_new", "c_old"], list.Select(s => s.State.ConversationId));
        Assert.Empty(contacts);
    }

    [Fact]
    public async Task A_direct_pair_is_claimed_once_whatever_the_order_of_the_users()
    {
        var store = Store();

        var first = await store.ClaimDirectPairAsync("u_a", "u_b", "c_first", default);
        var second = await store.ClaimDirectPairAsync("u_b", "u_a", "c_second", default);

        Assert.Equal("c_first", first);
        Assert.Equal("c_first", second);
    }

    [Fact]
    public async Task FindDirectPair_is_null_until_the_pair_is_claimed_then_names_the_claim_either_way_round()
    {
        var store = Store();

        Assert.Null(await store.FindDirectPairAsync("u_a", "u_b", default));
        await store.ClaimDirectPairAsync("u_a", "u_b", "c_ab", default);

        Assert.Equal("c_ab", await store.FindDirectPairAsync("u_b", "u_a", default));
    }

    [Fact]
    public async Task A_gap_read_comes_straight_from_the_state_store_without_the_owner_or_the_history_cache()
    {
        StoreMessages(12);

        var range = await Store().GetRangeAsync(ConversationId, 9, 11, default);

        Assert.Equal([9L, 10, 11], range.Select(m => m.Seq));
        Assert.Empty(conversations);
        Assert.Empty(dapr.Keys(DaprNames.CacheStore));
        Assert.Equal(0, Interlocked.Read(ref hits) + Interlocked.Read(ref misses));
    }

    private DaprMessageStore Store()
    {
        var options = Options.Create(new DaprOptions { HistoryBlockSize = 50 });
        var records = new StateRecords(dapr.Client, options);
        var history = new HistoryCache(dapr.Client, new CacheMetrics(meters.GetRequiredService<IMeterFactory>()), options, NullLogger<HistoryCache>.Instance);
        return new DaprMessageStore(new ConversationActors(actors.Object), history, new UserConversationIndex(records), records, options);
    }

    private Mock<IConversationActor> Conversation(string id, long lastSeq, string member, DateTimeOffset? activity = null)
    {
        var actor = new Mock<IConversationActor>(MockBehavior.Strict);
        var state = State(id, lastSeq, member, activity);
        actor.Setup(c => c.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(state);
        actor.Setup(c => c.SummarizeAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string userId, CancellationToken _) => state.IsMember(userId) ? new ConversationSummary(state, null, 0) : null);
        conversations[id] = actor;
        return actor;
    }

    private static ConversationState State(string id, long lastSeq, string member, DateTimeOffset? activity = null) =>
        new(id, ConversationType.Group, null, member, Start, [member], lastSeq, activity ?? Start, ImmutableDictionary<string, Cursor>.Empty);

    private void StoreMessages(int count)
    {
        for (var seq = 1; seq <= count; seq++)
        {
            dapr.Write(DaprNames.StateStore, StateKeys.Message(ConversationId, seq),
                new Message($"m_{seq}", ConversationId, seq, "u_a", $"c-{seq}", $"text {seq}", null, Start.AddSeconds(seq)));
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        meters.Dispose();
    }
}
