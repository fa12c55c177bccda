using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Dapr.Client;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Dapr.Actors;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Dapr.Tests;

/// <summary>
/// Reactions, edits, deletes and replies in the ConversationActor (the fold applied in its turn), read back through
/// the DaprMessageStore and its history cache.
/// </summary>
public sealed class ConversationActorChangeTests : IDisposable
{
    private const string ConversationId = "c_1";
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();
    private readonly ActorStateVault vault = new();
    private readonly ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task Changes_take_the_next_seqs_and_the_stored_target_is_folded()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        await SendAsync(actor, "u_a", "k1", "helo");

        var reaction = (await actor.AppendAsync(MessageDraft.Reaction("u_b", "r1", 1, "👍"), default)).Unwrap();
        var edit = (await actor.AppendAsync(MessageDraft.Edit("u_a", "e1", 1, "hello"), default)).Unwrap();

        Assert.Equal([2L, 3L], new[] { reaction.Message.Seq, edit.Message.Seq });
        var stored = dapr.Read<Message>(DaprNames.StateStore, StateKeys.Message(ConversationId, 1))!;
        Assert.Equal("hello", stored.Text);
        Assert.NotNull(stored.EditedAt);
        Assert.Equal(["u_b"], stored.Reactions!["👍"].ToArray());
        Assert.Equal(MessageKind.Reaction, dapr.Read<Message>(DaprNames.StateStore, StateKeys.Message(ConversationId, 2))!.Kind);
        var state = (await actor.GetAsync(default))!;
        Assert.Equal(3, state.LastSeq);
        Assert.Equal(3, state.LastChangeSeq);
        Assert.Equal(1, state.LastMessageSeq);
    }

    [Fact]
    public async Task History_never_serves_a_cached_block_from_before_an_edit_or_delete()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        await SendAsync(actor, "u_a", "k1", "helo");
        await SendAsync(actor, "u_b", "k2", "what?", replyTo: 1);
        var store = Store(actor);
        var before = await store.GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 50), default);

        (await actor.AppendAsync(MessageDraft.Edit("u_a", "e1", 1, "hello"), default)).Unwrap();
        var afterEdit = await store.GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 50), default);
        (await actor.AppendAsync(MessageDraft.Delete("u_a", "d1", 1), default)).Unwrap();
        var afterDelete = await store.GetMessagesAsync(ConversationId, HistoryQuery.Create(null, null, 50), default);

        Assert.Equal("helo", before[0].Text);
        Assert.Equal(new ReplyPreview("u_a", "helo", null), before[1].ReplyPreview);
        Assert.Equal("hello", afterEdit[0].Text);
        Assert.Equal(new ReplyPreview("u_a", "hello", null), afterEdit[1].ReplyPreview);
        Assert.True(afterDelete[0].Deleted);
        Assert.Null(afterDelete[0].Text);
        Assert.Equal(ReplyPreview.Gone, afterDelete[1].ReplyPreview);
        Assert.Equal([MessageKind.Message, MessageKind.Message, MessageKind.Edit, MessageKind.Delete], afterDelete.Select(m => m.Kind));
    }

    [Fact]
    public async Task A_delete_erases_the_stored_message_and_replies_keep_no_copy_of_it()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        await SendAsync(actor, "u_a", "k1", "secret");
        var reply = await SendAsync(actor, "u_b", "k2", "really?", replyTo: 1);
        (await actor.AppendAsync(MessageDraft.Reaction("u_b", "r1", 1, "😮"), default)).Unwrap();

        (await actor.AppendAsync(MessageDraft.Delete("u_a", "d1", 1), default)).Unwrap();

        Assert.Equal("secret", reply.Message.ReplyPreview!.Text);
        var stored = dapr.Read<Message>(DaprNames.StateStore, StateKeys.Message(ConversationId, 1))!;
        Assert.True(stored.Deleted);
        Assert.Null(stored.Text);
        Assert.Empty(stored.Reactions!);
        Assert.Null(dapr.Read<Message>(DaprNames.StateStore, StateKeys.Message(ConversationId, 2))!.ReplyPreview);
    }

    [Fact]
    public async Task Refused_changes_store_nothing()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        await SendAsync(actor, "u_a", "k1", "mine");
        var reaction = (await actor.AppendAsync(MessageDraft.Reaction("u_b", "r1", 1, "👍"), default)).Unwrap();
        var writes = dapr.CallsTo(nameof(DaprClient.ExecuteStateTransactionAsync));

        var replies = new[]
        {
            await actor.AppendAsync(MessageDraft.Edit("u_b", "x1", 1, "not yours"), default),
            await actor.AppendAsync(MessageDraft.Delete("u_b", "x2", 1), default),
            await actor.AppendAsync(MessageDraft.Reaction("u_b", "x3", 9, "👍"), default),
            await actor.AppendAsync(MessageDraft.Reaction("u_a", "x4", reaction.Message.Seq, "👍"), default),
        };

        Assert.Equal([ErrorCodes.Forbidden, ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.BadRequest], replies.Select(r => r.ErrorCode));
        Assert.Equal(writes, dapr.CallsTo(nameof(DaprClient.ExecuteStateTransactionAsync)));
        Assert.Equal(2, (await actor.GetAsync(default))!.LastSeq);
    }

    [Fact]
    public async Task The_list_counts_only_messages_as_unread_and_shows_the_last_message_as_edited()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        await SendAsync(actor, "u_a", "k1", "one");
        await SendAsync(actor, "u_a", "k2", "two");
        (await actor.AppendAsync(MessageDraft.Reaction("u_b", "r1", 1, "👍"), default)).Unwrap();
        (await actor.AppendAsync(MessageDraft.Edit("u_a", "e1", 2, "two!"), default)).Unwrap();

        var forB = (await Actor().SummarizeAsync("u_b", default))!;
        var forA = (await Actor().SummarizeAsync("u_a", default))!;

        Assert.Equal(2, forB.UnreadCount);
        Assert.Equal(0, forA.UnreadCount);
        Assert.Equal("two!", forB.LastMessage!.Text);
        Assert.Equal(2, forB.LastMessage.Seq);
    }

    [Fact]
    public async Task Hidden_messages_are_kept_per_user()
    {
        var actor = await CreatedGroupAsync("u_a", "u_b");
        await SendAsync(actor, "u_a", "k1", "one");

        (await actor.HideAsync("u_b", 1, default)).Unwrap();
        (await actor.HideAsync("u_b", 1, default)).Unwrap();
        var missing = await actor.HideAsync("u_b", 7, default);

        Assert.Equal(ErrorCodes.NotFound, missing.ErrorCode);
        Assert.Equal([1L], await Store(actor).GetHiddenAsync(ConversationId, "u_b", default));
        Assert.Empty(await Store(actor).GetHiddenAsync(ConversationId, "u_a", default));
    }

    public void Dispose() => meters.Dispose();

    private static async Task<AppendOutcome> SendAsync(ConversationActor actor, string sender, string clientId, string text, long? replyTo = null) =>
        (await actor.AppendAsync(new MessageDraft(sender, clientId, text, null) { ReplyTo = replyTo }, default)).Unwrap();

    private async Task<ConversationActor> CreatedGroupAsync(params string[] members)
    {
        var actor = Actor();
        (await actor.CreateAsync(
            new ConversationState(ConversationId, ConversationType.Group, "team", members[0], Start, [.. members], 0, Start, ImmutableDictionary<string, Cursor>.Empty),
            default)).Unwrap();
        return actor;
    }

    private ConversationActor Actor()
    {
        var host = ActorHost.CreateForTest<ConversationActor>(DaprNames.ConversationActorType, new ActorTestOptions { ActorId = new ActorId(ConversationId) });
        return new ConversationActor(host, dapr.Client, TimeProvider.System, new ChatOptions(), Options.Create(new DaprOptions()), vault.ManagerFor(ConversationId));
    }

    private DaprMessageStore Store(IConversationActor actor)
    {
        var factory = new Mock<IActorProxyFactory>(MockBehavior.Strict);
        factory.Setup(f => f.CreateActorProxy<IConversationActor>(It.IsAny<ActorId>(), DaprNames.ConversationActorType, null)).Returns(actor);
        var options = Options.Create(new DaprOptions { HistoryBlockSize = 50 });
        var records = new StateRecords(dapr.Client, options);
        var history = new HistoryCache(dapr.Client, new CacheMetrics(meters.GetRequiredService<IMeterFactory>()), options, NullLogger<HistoryCache>.Instance);
        return new DaprMessageStore(new ConversationActors(factory.Object), history, new UserConversationIndex(records), records, options);
    }
}
