using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Embedded.Owner;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Embedded.Tests;

/// <summary>Reactions, edits, deletes and replies stored as events and folded into their target in SQLite.</summary>
public sealed class SqliteMessageChangeTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase temp = new();
    private readonly FakeTimeProvider time = new(Stores.Start);
    private Stores stores = null!;
    private SerialConversationOwner owner = null!;

    public async Task InitializeAsync()
    {
        await temp.InitializeAsync();
        stores = new Stores(temp.Database);
        owner = new SerialConversationOwner(new ConversationEngine(stores.States, time, new ChatOptions()), new ChatOptions());
        await stores.CreateAsync("c_g", ConversationType.Group, "u_a", ["u_a", "u_b"]);
    }

    public Task DisposeAsync() => temp.DisposeAsync();

    [Fact]
    public async Task After_a_reopen_the_head_counts_changes_in_its_seq_but_only_messages_in_its_activity()
    {
        await SendAsync("u_a", "k1", "helo");
        var sentAt = (await owner.GetAsync("c_g", None))!.LastActivityAt;
        time.Advance(TimeSpan.FromMinutes(5));
        await owner.AppendAsync("c_g", MessageDraft.Reaction("u_b", "r1", 1, "👍"), None);

        var reopened = new Stores(await temp.ReopenAsync());
        var head = await reopened.States.LoadAsync("c_g", None);

        Assert.Equal(2, head!.LastSeq);
        Assert.Equal(sentAt, head.LastActivityAt);
    }

    [Fact]
    public async Task Events_get_their_own_seqs_and_history_reads_back_the_folded_message_after_a_reopen()
    {
        await SendAsync("u_a", "k1", "helo");
        await owner.AppendAsync("c_g", MessageDraft.Reaction("u_b", "r1", 1, "👍"), None);
        await owner.AppendAsync("c_g", MessageDraft.Reaction("u_a", "r2", 1, "😂"), None);
        await owner.AppendAsync("c_g", MessageDraft.Edit("u_a", "e1", 1, "hello"), None);
        var reply = await owner.AppendAsync("c_g", new MessageDraft("u_b", "k2", "hi!", null) { ReplyTo = 1 }, None);

        var reopened = new Stores(await temp.ReopenAsync());
        var page = await reopened.Messages.GetMessagesAsync("c_g", HistoryQuery.Create(null, null, 50), None);

        Assert.Equal([1L, 2, 3, 4, 5], page.Select(m => m.Seq));
        Assert.Equal([MessageKind.Message, MessageKind.Reaction, MessageKind.Reaction, MessageKind.Edit, MessageKind.Message], page.Select(m => m.Kind));
        var first = page[0];
        Assert.Equal("hello", first.Text);
        Assert.Equal(Stores.Start, first.EditedAt);
        Assert.Equal(["u_b"], first.Reactions!["👍"].ToArray());
        Assert.Equal(["u_a"], first.Reactions["😂"].ToArray());
        Assert.Equal(1, page[1].TargetSeq);
        Assert.Equal("👍", page[1].Emoji);
        Assert.Equal(new ReplyPreview("u_a", "hello", null), page[4].ReplyPreview);
        Assert.Equal(reply.Message.ReplyPreview, new ReplyPreview("u_a", "hello", null));
    }

    [Fact]
    public async Task A_delete_erases_the_row_and_replies_show_a_deleted_preview()
    {
        await SendAsync("u_a", "k1", "secret");
        await owner.AppendAsync("c_g", MessageDraft.Reaction("u_b", "r1", 1, "👍"), None);
        await owner.AppendAsync("c_g", new MessageDraft("u_b", "k2", "what?", null) { ReplyTo = 1 }, None);

        await owner.AppendAsync("c_g", MessageDraft.Delete("u_a", "d1", 1), None);
        var page = await stores.Messages.GetMessagesAsync("c_g", HistoryQuery.Create(null, null, 50), None);

        Assert.True(page[0].Deleted);
        Assert.Null(page[0].Text);
        Assert.Empty(page[0].Reactions!);
        Assert.Equal(ReplyPreview.Gone, page[2].ReplyPreview);
        Assert.Equal(MessageKind.Delete, page[3].Kind);
        using var raw = new SqliteConnection($"Data Source={temp.Path};Mode=ReadOnly;Pooling=False");
        raw.Open();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM messages WHERE text LIKE '%secret%' OR reactions IS NOT NULL AND seq = 1";
        Assert.Equal(0L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_refused_change_stores_nothing()
    {
        await SendAsync("u_a", "k1", "mine");
        time.Advance(TimeSpan.FromMinutes(16));

        var late = await Assert.ThrowsAsync<ChatException>(() => owner.AppendAsync("c_g", MessageDraft.Edit("u_a", "e1", 1, "late"), None));
        var notYours = await Assert.ThrowsAsync<ChatException>(() => owner.AppendAsync("c_g", MessageDraft.Delete("u_b", "d1", 1), None));
        var missing = await Assert.ThrowsAsync<ChatException>(() => owner.AppendAsync("c_g", MessageDraft.Reaction("u_b", "r1", 7, "👍"), None));

        Assert.Equal(ErrorCodes.EditWindowPassed, late.Code);
        Assert.Equal(ErrorCodes.Forbidden, notYours.Code);
        Assert.Equal(ErrorCodes.NotFound, missing.Code);
        var page = await stores.Messages.GetMessagesAsync("c_g", HistoryQuery.Create(null, null, 50), None);
        Assert.Equal("mine", Assert.Single(page).Text);
        Assert.Equal(1, (await stores.States.LoadAsync("c_g", None))!.LastSeq);
    }

    [Fact]
    public async Task Unread_counts_and_the_last_message_of_the_list_count_only_messages_and_show_the_latest_fold()
    {
        await SendAsync("u_a", "k1", "one");
        await SendAsync("u_a", "k2", "two");
        await owner.AppendAsync("c_g", MessageDraft.Reaction("u_a", "r1", 1, "👍"), None);
        await owner.AppendAsync("c_g", MessageDraft.Edit("u_a", "e1", 2, "two, fixed"), None);

        var summary = await stores.Messages.GetSummaryAsync("c_g", "u_b", None);

        Assert.Equal(2, summary!.UnreadCount);
        Assert.Equal(2, summary.LastMessage!.Seq);
        Assert.Equal("two, fixed", summary.LastMessage.Text);
        await owner.AppendAsync("c_g", MessageDraft.Delete("u_a", "d1", 2), None);
        Assert.True((await stores.Messages.GetSummaryAsync("c_g", "u_b", None))!.LastMessage!.Deleted);
    }

    [Fact]
    public async Task Hidden_seqs_are_kept_per_user()
    {
        await SendAsync("u_a", "k1", "one");

        await owner.HideAsync("c_g", "u_b", 1, None);
        await owner.HideAsync("c_g", "u_b", 1, None);

        Assert.Equal([1L], await stores.Messages.GetHiddenAsync("c_g", "u_b", None));
        Assert.Empty(await stores.Messages.GetHiddenAsync("c_g", "u_a", None));
    }

    private Task<AppendOutcome> SendAsync(string sender, string clientId, string text) =>
        owner.AppendAsync("c_g", new MessageDraft(sender, clientId, text, null), None);
}
