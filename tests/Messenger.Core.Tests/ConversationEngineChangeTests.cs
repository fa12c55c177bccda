using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Core.Services;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Messenger.Core.Tests;

/// <summary>Reactions, edits, deletes, replies and "delete for me" as the owner's rules.</summary>
public sealed class ConversationEngineChangeTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Mock<IConversationStateStore> store = new(MockBehavior.Strict);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConversationEngine engine;
    private ConversationState? savedState;
    private Message? savedChange;
    private Message? savedTarget;

    public ConversationEngineChangeTests()
    {
        engine = new ConversationEngine(store.Object, time, new ChatOptions { EditWindow = TimeSpan.FromMinutes(15) });
        store.Setup(s => s.LoadAsync("c_1", It.IsAny<CancellationToken>())).ReturnsAsync(States.Group("c_1", "a", ["a", "b"], lastSeq: 5));
        store.Setup(s => s.FindByClientMessageIdAsync("c_1", It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((Message?)null);
        store.Setup(s => s.SaveChangedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()))
            .Callback((ConversationState st, Message change, Message target, CancellationToken _) => (savedState, savedChange, savedTarget) = (st, change, target))
            .Returns(Task.CompletedTask);
    }

    private DateTimeOffset Now => time.GetUtcNow();

    [Fact]
    public async Task Reaction_gets_the_next_seq_and_is_saved_with_its_folded_target()
    {
        GivenTarget(Text(3, "b", "hello"));

        var outcome = await engine.AppendAsync("c_1", MessageDraft.Reaction("a", "r1", 3, "👍"), None);

        Assert.Equal(6, outcome.Message.Seq);
        Assert.Equal(MessageKind.Reaction, outcome.Message.Kind);
        Assert.Equal(3, outcome.Message.TargetSeq);
        Assert.Equal("👍", outcome.Message.Emoji);
        Assert.Equal(["a"], savedTarget!.Reactions!["👍"].ToArray());
        Assert.Same(outcome.Message, savedChange);
        Assert.Equal(6, savedState!.LastSeq);
        Assert.Equal(6, savedState.LastChangeSeq);
        Assert.Equal(States.Created, savedState.LastActivityAt);
    }

    [Fact]
    public async Task Edit_by_its_sender_within_the_window_replaces_the_text()
    {
        GivenTarget(Text(3, "a", "helo", sentAt: Now.AddMinutes(-14)));

        var outcome = await engine.AppendAsync("c_1", MessageDraft.Edit("a", "e1", 3, "hello"), None);

        Assert.Equal(MessageKind.Edit, outcome.Message.Kind);
        Assert.Equal("hello", savedTarget!.Text);
        Assert.Equal(Now, savedTarget.EditedAt);
    }

    [Fact]
    public async Task Edit_after_the_window_is_refused_and_saves_nothing()
    {
        GivenTarget(Text(3, "a", "helo", sentAt: Now.AddMinutes(-16)));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", MessageDraft.Edit("a", "e1", 3, "hello"), None));

        Assert.Equal(ErrorCodes.EditWindowPassed, e.Code);
        AssertNothingSaved();
    }

    [Fact]
    public async Task Edit_of_someone_elses_message_is_forbidden()
    {
        GivenTarget(Text(3, "b", "mine"));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", MessageDraft.Edit("a", "e1", 3, "yours now"), None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        AssertNothingSaved();
    }

    [Fact]
    public async Task Delete_by_its_sender_leaves_a_tombstone_and_names_the_media_it_released()
    {
        var media = new MediaInfo("md_1", "image/png", 10, 1, 1, null);
        GivenTarget(Text(3, "a", "caption") with { Media = media, Reactions = Message.NoReactions.Add("👍", ["b"]), ReplyTo = 1 });

        var outcome = await engine.AppendAsync("c_1", MessageDraft.Delete("a", "d1", 3), None);

        Assert.Equal(MessageKind.Delete, outcome.Message.Kind);
        Assert.True(savedTarget!.Deleted);
        Assert.Null(savedTarget.Text);
        Assert.Null(savedTarget.Media);
        Assert.Null(savedTarget.ReplyTo);
        Assert.Empty(savedTarget.Reactions!);
        Assert.Same(savedTarget, outcome.Target);
        Assert.Equal("md_1", outcome.ReleasedMedia);
    }

    [Fact]
    public async Task Delete_of_someone_elses_message_is_forbidden()
    {
        GivenTarget(Text(3, "b", "mine"));

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", MessageDraft.Delete("a", "d1", 3), None));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        AssertNothingSaved();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(99)]
    public async Task A_target_that_is_not_a_stored_seq_is_not_found_without_a_read(long seq)
    {
        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", MessageDraft.Reaction("a", "r1", seq, "👍"), None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        store.Verify(s => s.FindBySeqAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
        AssertNothingSaved();
    }

    [Fact]
    public async Task A_reaction_to_a_reaction_is_a_bad_request()
    {
        GivenTarget(Text(4, "b", null) with { Kind = MessageKind.Reaction, TargetSeq = 3, Emoji = "👍" });

        var e = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", MessageDraft.Reaction("a", "r1", 4, "😂"), None));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        AssertNothingSaved();
    }

    [Fact]
    public async Task Reacting_to_editing_or_replying_to_a_deleted_message_is_not_found()
    {
        GivenTarget(MessageFold.Erase(Text(3, "a", "gone")));

        var react = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", MessageDraft.Reaction("b", "r1", 3, "👍"), None));
        var edit = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", MessageDraft.Edit("a", "e1", 3, "back"), None));
        var reply = await Assert.ThrowsAsync<ChatException>(() => engine.AppendAsync("c_1", new MessageDraft("b", "k1", "re", null) { ReplyTo = 3 }, None));

        Assert.All(new[] { react, edit, reply }, e => Assert.Equal(ErrorCodes.NotFound, e.Code));
        AssertNothingSaved();
        store.Verify(s => s.SaveAppendedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_reply_carries_the_quoted_senders_id_and_the_start_of_its_text()
    {
        GivenTarget(Text(3, "b", new string('x', 150)));
        Message? saved = null;
        store.Setup(s => s.SaveAppendedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()))
            .Callback((ConversationState _, Message m, CancellationToken _) => saved = m).Returns(Task.CompletedTask);

        var outcome = await engine.AppendAsync("c_1", new MessageDraft("a", "k1", "agreed", null) { ReplyTo = 3 }, None);

        Assert.Equal(3, outcome.Message.ReplyTo);
        Assert.Equal(new ReplyPreview("b", new string('x', 100), null), outcome.Message.ReplyPreview);
        Assert.Equal(6, saved!.Seq);
        Assert.Equal(MessageKind.Message, saved.Kind);
    }

    [Fact]
    public async Task A_repeated_change_answers_the_stored_event_and_saves_nothing()
    {
        var stored = Text(5, "a", null) with { Kind = MessageKind.Reaction, TargetSeq = 3, Emoji = "👍", ClientMessageId = "r1" };
        store.Setup(s => s.FindByClientMessageIdAsync("c_1", "a", "r1", It.IsAny<CancellationToken>())).ReturnsAsync(stored);

        var outcome = await engine.AppendAsync("c_1", MessageDraft.Reaction("a", "r1", 3, "😂"), None);

        Assert.True(outcome.Duplicate);
        Assert.Same(stored, outcome.Message);
        AssertNothingSaved();
    }

    [Fact]
    public async Task Hide_saves_only_for_a_stored_message()
    {
        GivenTarget(Text(3, "b", "hi"));
        store.Setup(s => s.SaveHiddenAsync("c_1", "a", 3, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await engine.HideAsync("c_1", "a", 3, None);
        var e = await Assert.ThrowsAsync<ChatException>(() => engine.HideAsync("c_1", "a", 9, None));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        store.Verify(s => s.SaveHiddenAsync("c_1", "a", 3, It.IsAny<CancellationToken>()), Times.Once);
    }

    private static Message Text(long seq, string sender, string? text, DateTimeOffset? sentAt = null) =>
        new($"m_{seq}", "c_1", seq, sender, $"k{seq}", text, null, sentAt ?? States.Created);

    private void GivenTarget(Message target) =>
        store.Setup(s => s.FindBySeqAsync("c_1", target.Seq, It.IsAny<CancellationToken>())).ReturnsAsync(target);

    private void AssertNothingSaved() =>
        store.Verify(s => s.SaveChangedAsync(It.IsAny<ConversationState>(), It.IsAny<Message>(), It.IsAny<Message>(), It.IsAny<CancellationToken>()), Times.Never);
}
