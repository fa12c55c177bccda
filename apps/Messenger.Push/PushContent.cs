using System.Globalization;
using System.Text;
using Messenger.Core.Domain;
using Messenger.Core.Events;

namespace Messenger.Push;

/// <summary>What a push says about a message: the same title, body and data for every device of every recipient.</summary>
internal static class PushContent
{
    public const int MaxBodyCodePoints = 100;
    public const string Ellipsis = "\u2026";
    public const string PhotoBody = "Photo";
    public const string VideoBody = "Video";
    public const string FallbackBody = "New message";
    public const string GroupSeparator = " @ ";

    public const string ConversationIdKey = "conversationId";
    public const string MessageIdKey = "messageId";
    public const string SeqKey = "seq";

    /// <summary>The sender's display name; in a group "Sender @ Group title" (the name alone when the group has no title).</summary>
    public static string Title(PushRequested request) =>
        request.ConversationType == ConversationType.Group && !string.IsNullOrWhiteSpace(request.ConversationTitle)
            ? request.SenderDisplayName + GroupSeparator + request.ConversationTitle
            : request.SenderDisplayName;

    /// <summary>A preview of the text; with no text, "Photo" or "Video" from the media content type.</summary>
    public static string Body(PushRequested request)
    {
        if (!string.IsNullOrWhiteSpace(request.Text))
        {
            return Preview(request.Text);
        }

        var contentType = request.MediaContentType;
        if (contentType is not null && contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return PhotoBody;
        }

        if (contentType is not null && contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
        {
            return VideoBody;
        }

        return FallbackBody;
    }

    /// <summary>
    /// Runs of white space (line breaks included) become one space; a text longer than
    /// <see cref="MaxBodyCodePoints"/> code points keeps its first 99 and gets an ellipsis, so the body is never more
    /// than 100 code points and never splits a surrogate pair.
    /// </summary>
    public static string Preview(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxBodyCodePoints * 2));
        var codePoints = 0;
        var pendingSpace = false;
        foreach (var rune in text.Trim().EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = true;
                continue;
            }

            var needed = pendingSpace ? 2 : 1;
            if (codePoints + needed > MaxBodyCodePoints)
            {
                return Cut(builder, codePoints);
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(rune.ToString());
            codePoints += needed;
        }

        return builder.ToString();
    }

    /// <summary>Drops code points from the end until the ellipsis fits within the limit.</summary>
    private static string Cut(StringBuilder builder, int codePoints)
    {
        while (codePoints > MaxBodyCodePoints - 1)
        {
            var last = builder.Length - 1;
            builder.Length = char.IsLowSurrogate(builder[last]) && last > 0 ? last - 1 : last;
            codePoints--;
        }

        return builder.ToString().TrimEnd() + Ellipsis;
    }

    public static IReadOnlyDictionary<string, string> Data(PushRequested request) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ConversationIdKey] = request.ConversationId,
            [MessageIdKey] = request.MessageId,
            [SeqKey] = request.Seq.ToString(CultureInfo.InvariantCulture),
        };
}
