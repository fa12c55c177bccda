using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;

namespace Messenger.Core.Tests;

public sealed class MessageFoldTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Message Target = new("m_1", "c_1", 1, "a", "k1", "hello", null, At);

    [Fact]
    public void A_new_emoji_replaces_the_users_old_one_and_null_takes_it_back()
    {
        var first = MessageFold.Apply(Target, Reaction("b", "👍"), TimeSpan.FromMinutes(15));
        var second = MessageFold.Apply(MessageFold.Apply(first, Reaction("c", "👍"), TimeSpan.Zero), Reaction("b", "😂"), TimeSpan.Zero);
        var removed = MessageFold.Apply(second, Reaction("c", null), TimeSpan.Zero);

        Assert.Equal(["b"], first.Reactions!["👍"].ToArray());
        Assert.Equal(["c"], second.Reactions!["👍"].ToArray());
        Assert.Equal(["b"], second.Reactions["😂"].ToArray());
        Assert.False(removed.Reactions!.ContainsKey("👍"));
        Assert.Single(removed.Reactions);
    }

    [Fact]
    public void A_media_message_without_a_caption_cannot_be_edited()
    {
        var photo = Target with { Text = null, Media = new MediaInfo("md_1", "image/png", 1, 1, 1, null) };
        var edit = new Message("m_2", "c_1", 2, "a", "e1", "caption", null, At) { Kind = MessageKind.Edit, TargetSeq = 1 };

        var e = Assert.Throws<ChatException>(() => MessageFold.Apply(photo, edit, TimeSpan.FromMinutes(15)));

        Assert.Equal(ErrorCodes.Forbidden, e.Code);
    }

    [Fact]
    public void A_reply_preview_shows_media_kind_or_deleted()
    {
        var video = Target with { Media = new MediaInfo("md_1", "video/mp4", 1, 1, 1, null) };

        Assert.Equal(new ReplyPreview("a", null, ReplyPreview.VideoKind), ReplyPreview.Of(video));
        Assert.Equal(ReplyPreview.Gone, ReplyPreview.Of(MessageFold.Erase(Target)));
    }

    private static Message Reaction(string sender, string? emoji) =>
        new("m_r", "c_1", 9, sender, "r", null, null, At) { Kind = MessageKind.Reaction, TargetSeq = 1, Emoji = emoji };
}
