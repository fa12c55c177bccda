using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Messenger.Core.Domain;

/// <summary>
/// One stored event of a conversation, at its own seq. A <see cref="MessageKind.Message"/> is what was sent, read back
/// folded: its current text (<see cref="EditedAt"/> once edited), its <see cref="Reactions"/>, and once deleted a
/// tombstone (<see cref="Deleted"/>, no text, media or reply). A reaction, edit or delete names its target with
/// <see cref="TargetSeq"/>.
/// </summary>
public sealed record Message(
    string MessageId,
    string ConversationId,
    long Seq,
    string SenderId,
    string ClientMessageId,
    string? Text,
    MediaInfo? Media,
    DateTimeOffset SentAt)
{
    public MessageKind Kind { get; init; }

    /// <summary>A reaction, edit or delete: the seq of the message it changes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TargetSeq { get; init; }

    /// <summary>A reaction: the emoji, or null when the sender takes their reaction back.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Emoji { get; init; }

    /// <summary>A reply: the seq of the message it quotes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ReplyTo { get; init; }

    /// <summary>A reply: what it shows of the quoted message as that is now (never stored).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReplyPreview? ReplyPreview { get; init; }

    /// <summary>
    /// A message: emoji to the users who reacted with it (each user at most once); empty when none. Null for a change.
    /// None is held as null, so that a message without reactions equals itself read back.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableSortedDictionary<string, ImmutableArray<string>>? Reactions
    {
        get => Kind == MessageKind.Message ? field ?? NoReactions : null;
        init => field = value is { Count: > 0 } ? value : null;
    }

    /// <summary>A message: when its text was last edited.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>A message deleted for everyone: a tombstone with no text, media, reply or reactions.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Deleted { get; init; }

    public static ImmutableSortedDictionary<string, ImmutableArray<string>> NoReactions { get; } =
        ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal);

    /// <summary>Whether this counts as a message (unread counts, the last message of a list, pushes); a change does not.</summary>
    [JsonIgnore]
    public bool IsMessage => Kind == MessageKind.Message;
}
