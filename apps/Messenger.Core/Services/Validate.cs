using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Messenger.Core.Domain;
using Messenger.Core.Errors;

namespace Messenger.Core.Services;

/// <summary>Input rules of the client contract; each throws a <see cref="ChatException"/> that says what is wrong.</summary>
public static class Validate
{
    public const int MaxTextCodePoints = 4096;
    public const int MaxEmojiBytes = 32;
    public const int MaxClientMessageIdLength = 128;

    /// <summary>The one printable character a clientMessageId may not hold.</summary>
    public const char ClientMessageIdForbidden = '|';
    public const int MaxDisplayNameLength = 64;
    public const int MaxTitleLength = 128;
    public const int MinUsernameLength = 3;
    public const int MaxUsernameLength = 32;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;

    public static string Username(string? username)
    {
        if (username is null || username.Length is < MinUsernameLength or > MaxUsernameLength)
        {
            throw ChatException.BadRequest("username must be 3 to 32 characters.");
        }

        if (!IsUsername(username))
        {
            throw ChatException.BadRequest("username may hold only a-z, 0-9, '_', '.' and '-' (lower case).");
        }

        return username;
    }

    /// <summary>Whether <paramref name="username"/> obeys the rules of <see cref="Username"/>, without throwing.</summary>
    public static bool IsUsername([NotNullWhen(true)] string? username) =>
        username is { Length: >= MinUsernameLength and <= MaxUsernameLength }
        && username.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-');

    public static string Password(string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
        {
            throw ChatException.BadRequest($"password must be at least {MinPasswordLength} characters.");
        }

        if (password.Length > MaxPasswordLength)
        {
            throw ChatException.BadRequest($"password must be at most {MaxPasswordLength} characters.");
        }

        return password;
    }

    public static string? DisplayName(string? displayName)
    {
        if (displayName is null)
        {
            return null;
        }

        var trimmed = displayName.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxDisplayNameLength || HasControl(trimmed))
        {
            throw ChatException.BadRequest($"displayName must be 1 to {MaxDisplayNameLength} printable characters.");
        }

        return trimmed;
    }

    public static string? Title(string? title)
    {
        if (title is null)
        {
            return null;
        }

        var trimmed = title.Trim();
        if (trimmed.Length > MaxTitleLength || HasControl(trimmed))
        {
            throw ChatException.BadRequest($"title must be at most {MaxTitleLength} printable characters.");
        }

        return trimmed.Length == 0 ? null : trimmed;
    }

    public static string Id(string? id, string name)
    {
        if (!Ids.IsWellFormed(id))
        {
            throw ChatException.BadRequest($"{name} is missing or not a valid id.");
        }

        return id!;
    }

    /// <summary>
    /// 1 to <see cref="MaxClientMessageIdLength"/> printable characters, none of them <see cref="ClientMessageIdForbidden"/>:
    /// the id is part of a state key in the Dapr adapters, and Dapr refuses keys holding "||".
    /// </summary>
    public static string ClientMessageId(string? clientMessageId)
    {
        if (string.IsNullOrEmpty(clientMessageId) || clientMessageId.Length > MaxClientMessageIdLength || HasControl(clientMessageId))
        {
            throw ChatException.BadRequest($"clientMessageId must be 1 to {MaxClientMessageIdLength} printable characters.");
        }

        if (clientMessageId.Contains(ClientMessageIdForbidden, StringComparison.Ordinal))
        {
            throw ChatException.BadRequest($"clientMessageId may not contain '{ClientMessageIdForbidden}'.");
        }

        return clientMessageId;
    }

    /// <summary>Text or media or both; text counts Unicode code points, at most <see cref="MaxTextCodePoints"/>.</summary>
    public static void Body(string? text, string? mediaId)
    {
        if (string.IsNullOrWhiteSpace(text) && mediaId is null)
        {
            throw ChatException.BadRequest("A message needs text or a mediaId.");
        }

        if (text is not null && CodePoints(text) > MaxTextCodePoints)
        {
            throw ChatException.TooLarge($"text is longer than {MaxTextCodePoints} characters.");
        }

        if (mediaId is not null)
        {
            Id(mediaId, "mediaId");
        }
    }

    /// <summary>A reaction's emoji: one extended grapheme cluster of at most <see cref="MaxEmojiBytes"/> bytes of UTF-8; null takes a reaction back.</summary>
    public static string? Emoji(string? emoji)
    {
        if (emoji is null)
        {
            return null;
        }

        if (emoji.Length == 0 || Encoding.UTF8.GetByteCount(emoji) > MaxEmojiBytes || new StringInfo(emoji).LengthInTextElements != 1
            || char.IsWhiteSpace(emoji[0]) || char.IsControl(emoji[0]))
        {
            throw ChatException.BadRequest($"emoji must be one emoji (one grapheme cluster of at most {MaxEmojiBytes} bytes), or null to remove a reaction.");
        }

        CodePoints(emoji);
        return emoji;
    }

    /// <summary>The new text of an edit: like a message's text, and not empty.</summary>
    public static string EditText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ChatException.BadRequest("An edit needs text.");
        }

        Body(text, null);
        return text;
    }

    /// <summary>The seq of a message a reaction, edit, delete or reply names: a positive integer.</summary>
    public static long TargetSeq(long? seq, string name) =>
        seq is >= 1 ? seq.Value : throw ChatException.BadRequest($"{name} must be a positive integer (a seq of the conversation).");

    public static long Seq(long seq) =>
        seq >= 0 ? seq : throw ChatException.BadRequest("seq must be a non-negative integer.");

    /// <summary>Code points, counting a well-formed surrogate pair once; fails on ill-formed UTF-16.</summary>
    public static int CodePoints(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw ChatException.BadRequest("text is not valid Unicode.");
            }

            count++;
        }

        return count;
    }

    private static bool HasControl(string value) =>
        value.Any(c => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format && c != '\u200D');
}
