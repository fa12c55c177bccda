using Messenger.Core.Domain;

namespace Messenger.Core.Services;

/// <summary>
/// What a member asks the owner to store: a message (perhaps a reply, <see cref="ReplyTo"/>), or a reaction, edit or
/// delete of the message at <see cref="TargetSeq"/>.
/// </summary>
public sealed record MessageDraft(string SenderId, string ClientMessageId, string? Text, MediaInfo? Media)
{
    public MessageKind Kind { get; init; }

    public long? TargetSeq { get; init; }

    public string? Emoji { get; init; }

    public long? ReplyTo { get; init; }

    public static MessageDraft Reaction(string senderId, string clientMessageId, long targetSeq, string? emoji) =>
        new(senderId, clientMessageId, null, null) { Kind = MessageKind.Reaction, TargetSeq = targetSeq, Emoji = emoji };

    public static MessageDraft Edit(string senderId, string clientMessageId, long targetSeq, string text) =>
        new(senderId, clientMessageId, text, null) { Kind = MessageKind.Edit, TargetSeq = targetSeq };

    public static MessageDraft Delete(string senderId, string clientMessageId, long targetSeq) =>
        new(senderId, clientMessageId, null, null) { Kind = MessageKind.Delete, TargetSeq = targetSeq };
}
