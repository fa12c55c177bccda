using System.Collections.Concurrent;
using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Embedded.Owner;
using Messenger.Embedded.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Embedded.Tests;

public sealed class SerialConversationOwnerTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] Senders = [.. Enumerable.Range(0, 10).Select(i => $"u_{i}")];
    private readonly TempDatabase temp = new();
    private readonly FakeTimeProvider time = new(Stores.Start);
    private SqliteConversationStateStore states = null!;
    private SqliteMessageStore messages = null!;
    private SerialConversationOwner owner = null!;

    public async Task InitializeAsync()
    {
        await temp.InitializeAsync();
        states = new SqliteConversationStateStore(temp.Database);
        messages = new SqliteMessageStore(temp.Database, states);
        owner = new SerialConversationOwner(new ConversationEngine(states, time, new ChatOptions()), new ChatOptions { MaxGroupMembers = 12 });
    }

    public Task DisposeAsync() => temp.DisposeAsync();

    [Fact]
    public async Task Ten_concurrent_senders_of_50_messages_each_get_seq_1_to_500_without_gaps_or_duplicates()
    {
        await CreateGroupAsync("c_g");
        var acked = new ConcurrentBag<(string Sender, string ClientId, long Seq)>();

        await Task.WhenAll(Senders.Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var outcome = await owner.AppendAsync("c_g", new MessageDraft(sender, $"{sender}-{i}", $"message {i}", null), None);
                Assert.False(outcome.Duplicate);
                acked.Add((sender, $"{sender}-{i}", outcome.Message.Seq));
            }
        })));

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), acked.Select(a => a.Seq).Order());
        var stored = await AllMessagesAsync("c_g");
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(500, stored.Select(m => (m.SenderId, m.ClientMessageId)).Distinct().Count());
        foreach (var sender in Senders)
        {
            // One sender sends one at a time, so its messages are in the order it sent them.
            var own = stored.Where(m => m.SenderId == sender).Select(m => m.ClientMessageId).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{sender}-{i}"), own);
        }

        Assert.Equal(500, (await owner.GetAsync("c_g", None))!.LastSeq);
        Assert.Equal(500, (await new SqliteConversationStateStore(temp.Database).LoadAsync("c_g", None))!.LastSeq);
    }

    [Fact]
    public async Task The_same_client_id_sent_concurrently_is_stored_once()
    {
        await CreateGroupAsync("c_g");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => owner.AppendAsync("c_g", new MessageDraft("u_1", "same", "hello", null), None))));

        Assert.Single(outcomes, o => !o.Duplicate);
        Assert.Single(outcomes.Select(o => o.Message.MessageId).Distinct());
        Assert.All(outcomes, o => Assert.Equal(1, o.Message.Seq));
        Assert.Single(await AllMessagesAsync("c_g"));
    }

    [Fact]
    public async Task Concurrent_senders_in_different_conversations_each_get_their_own_sequence()
    {
        await CreateGroupAsync("c_1");
        await CreateGroupAsync("c_2");

        await Task.WhenAll(Senders.Select((sender, n) => Task.Run(async () =>
        {
            var conversation = n % 2 == 0 ? "c_1" : "c_2";
            for (var i = 0; i < 20; i++)
            {
                await owner.AppendAsync(conversation, new MessageDraft(sender, $"k{i}", "x", null), None);
            }
        })));

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), (await AllMessagesAsync("c_1")).Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), (await AllMessagesAsync("c_2")).Select(m => m.Seq));
    }

    [Fact]
    public async Task Concurrent_cursor_moves_keep_the_highest()
    {
        await CreateGroupAsync("c_g");
        for (var i = 0; i < 30; i++)
        {
            await owner.AppendAsync("c_g", new MessageDraft("u_0", $"k{i}", "x", null), None);
        }

        await Task.WhenAll(Enumerable.Range(1, 30).Select(seq =>
            Task.Run(() => owner.AdvanceCursorAsync("c_g", new CursorMove("u_1", seq, seq % 2 == 0 ? seq : null), None))));

        Assert.Equal(new Cursor(30, 30), (await new SqliteConversationStateStore(temp.Database).LoadAsync("c_g", None))!.CursorOf("u_1"));
    }

    [Fact]
    public async Task Adding_members_beyond_the_configured_maximum_is_a_bad_request()
    {
        await CreateGroupAsync("c_g"); // 10 members, the maximum is 12
        await owner.ChangeMembersAsync("c_g", new MembershipChange("u_0", "u_10", MembershipAction.Add), None);
        await owner.ChangeMembersAsync("c_g", new MembershipChange("u_0", "u_11", MembershipAction.Add), None);

        var e = await Assert.ThrowsAsync<ChatException>(() => owner.ChangeMembersAsync("c_g", new MembershipChange("u_0", "u_12", MembershipAction.Add), None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        Assert.Equal(12, (await owner.GetAsync("c_g", None))!.MemberIds.Length);
    }

    private Task<ConversationState> CreateGroupAsync(string id) =>
        owner.CreateAsync(
            new ConversationState(id, ConversationType.Group, "load", Senders[0], Stores.Start, [.. Senders], 0, Stores.Start,
                ImmutableDictionary<string, Cursor>.Empty),
            None);

    private async Task<List<Message>> AllMessagesAsync(string conversationId)
    {
        var all = new List<Message>();
        while (true)
        {
            var page = await messages.GetMessagesAsync(conversationId, HistoryQuery.Create(all.Count == 0 ? 0 : all[^1].Seq, null, HistoryQuery.MaxLimit), None);
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
        }
    }
}
