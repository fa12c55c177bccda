using System.Globalization;
using System.Text.Json.Serialization;

namespace Messenger.Core.Domain;

/// <summary>
/// What a reply shows of the message it quotes: its sender and the start of its text, or the kind of its media; only
/// <see cref="Deleted"/> once that message is deleted. Worked out from the quoted message as it is now, never stored.
/// </summary>
public sealed record ReplyPreview(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SenderId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MediaKind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Deleted = false)
{
    /// <summary>The text elements (user-perceived characters) of the quoted text a preview keeps.</summary>
    public const int MaxTextElements = 100;

    public const string ImageKind = "image";
    public const string VideoKind = "video";

    public static ReplyPreview Gone { get; } = new(null, null, null, Deleted: true);

    public static ReplyPreview Of(Message target)
    {
        if (target.Deleted)
        {
            return Gone;
        }

        if (target.Media is { } media)
        {
            return new ReplyPreview(target.SenderId, null, media.ContentType.StartsWith("video/", StringComparison.Ordinal) ? VideoKind : ImageKind);
        }

        return new ReplyPreview(target.SenderId, Cut(target.Text ?? string.Empty), null);
    }

    private static string Cut(string text)
    {
        var info = new StringInfo(text);
        return info.LengthInTextElements <= MaxTextElements ? text : info.SubstringByTextElements(0, MaxTextElements);
    }
}
