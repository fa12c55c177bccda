using System.Text.Json;
using Messenger.Core.Errors;
using Messenger.Core.Services;

namespace Messenger.Core.Protocol;

/// <summary>
/// Turns the bytes of one text frame into a <see cref="ClientFrame"/> or an <see cref="ErrorFrame"/> that says what is
/// wrong. Unknown properties are ignored; anything else malformed is an error, never an exception.
/// </summary>
public static class ClientFrameParser
{
    public const int MaxSyncCursors = 10_000;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    public static FrameParseResult Parse(ReadOnlyMemory<byte> utf8)
    {
        string? reference = null;
        try
        {
            using var document = JsonDocument.Parse(utf8, DocumentOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ChatException.BadRequest("A frame is one JSON object.");
            }

            reference = OptionalString(root, "clientMessageId");
            var type = OptionalString(root, "type") ?? throw ChatException.BadRequest("type is required.");
            ClientFrame frame = type switch
            {
                "send" => ParseSend(root),
                "react" => ParseReact(root),
                "edit" => ParseEdit(root),
                "delete" => ParseDelete(root),
                "delivered" => ParseCursor(root, read: false),
                "read" => ParseCursor(root, read: true),
                "typing" => new TypingCommand(Validate.Id(OptionalString(root, "conversationId"), "conversationId")),
                "sync" => ParseSync(root),
                "ping" => new PingCommand(),
                _ => throw ChatException.BadRequest($"Unknown frame type '{Truncate(type)}'."),
            };
            return new FrameParseResult(frame, null);
        }
        catch (ChatException e)
        {
            return new FrameParseResult(null, new ErrorFrame(e.Code, e.Message, reference));
        }
        catch (JsonException)
        {
            return new FrameParseResult(null, new ErrorFrame(ErrorCodes.BadRequest, "The frame is not valid JSON.", null));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // System.Text.Json reports invalid UTF-8 or a lone surrogate inside a string this way.
            return new FrameParseResult(null, new ErrorFrame(ErrorCodes.BadRequest, "The frame holds a string that is not valid Unicode.", reference));
        }
    }

    private static SendCommand ParseSend(JsonElement root)
    {
        var conversationId = Validate.Id(OptionalString(root, "conversationId"), "conversationId");
        var clientMessageId = Validate.ClientMessageId(OptionalString(root, "clientMessageId"));
        var text = OptionalString(root, "text");
        var mediaId = OptionalString(root, "mediaId");
        Validate.Body(text, mediaId);
        var replyTo = OptionalLong(root, "replyTo");
        return new SendCommand(conversationId, clientMessageId, text, mediaId, replyTo is null ? null : Validate.TargetSeq(replyTo, "replyTo"));
    }

    private static ReactCommand ParseReact(JsonElement root)
    {
        var (conversationId, clientMessageId, targetSeq) = ParseChange(root);
        return new ReactCommand(conversationId, clientMessageId, targetSeq, Validate.Emoji(OptionalString(root, "emoji")));
    }

    private static EditCommand ParseEdit(JsonElement root)
    {
        var (conversationId, clientMessageId, targetSeq) = ParseChange(root);
        return new EditCommand(conversationId, clientMessageId, targetSeq, Validate.EditText(OptionalString(root, "text")));
    }

    private static DeleteCommand ParseDelete(JsonElement root)
    {
        var (conversationId, clientMessageId, targetSeq) = ParseChange(root);
        return new DeleteCommand(conversationId, clientMessageId, targetSeq);
    }

    private static (string ConversationId, string ClientMessageId, long TargetSeq) ParseChange(JsonElement root) =>
        (Validate.Id(OptionalString(root, "conversationId"), "conversationId"),
            Validate.ClientMessageId(OptionalString(root, "clientMessageId")),
            Validate.TargetSeq(OptionalLong(root, "targetSeq"), "targetSeq"));

    private static long? OptionalLong(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw ChatException.BadRequest($"{name} must be an integer.");
    }

    private static CursorCommand ParseCursor(JsonElement root, bool read)
    {
        var conversationId = Validate.Id(OptionalString(root, "conversationId"), "conversationId");
        if (!root.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var value))
        {
            throw ChatException.BadRequest("seq must be a non-negative integer.");
        }

        return new CursorCommand(conversationId, Validate.Seq(value), read);
    }

    private static SyncCommand ParseSync(JsonElement root)
    {
        var cursors = new Dictionary<string, long>(StringComparer.Ordinal);
        if (root.TryGetProperty("cursors", out var element) && element.ValueKind != JsonValueKind.Null)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw ChatException.BadRequest("cursors must be an object of conversationId to seq.");
            }

            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var seq) || seq < 0)
                {
                    throw ChatException.BadRequest("Each cursor must be a non-negative integer.");
                }

                if (cursors.Count >= MaxSyncCursors)
                {
                    throw ChatException.TooLarge($"At most {MaxSyncCursors} cursors per sync.");
                }

                // A cursor naming no conversation of the user's is ignored, so an odd id is ignored too.
                cursors[property.Name] = seq;
            }
        }

        return new SyncCommand(cursors);
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw ChatException.BadRequest($"{name} must be a string.");
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
