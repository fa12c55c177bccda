using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Properties;

/// <summary>
/// The frame parser against generated input: whatever the bytes, a valid frame or a clear error, never an
/// exception; and a valid frame is read as exactly what it says.
/// </summary>
public sealed class ParserProperties
{
    private static readonly string[] ErrorCodesOfParsing = [ErrorCodes.BadRequest, ErrorCodes.TooLarge];
    private static readonly int[] UnknownField = [1];

    [Fact]
    public void Any_bytes_give_a_frame_or_an_error_and_never_throw() =>
        Check.One(Config(20), Prop.ForAll(FrameInputs.AnyBytes(), bytes => ParsesCleanly(bytes)));

    [Fact]
    public void Any_json_ish_text_gives_a_frame_or_an_error_and_never_throws() =>
        Check.One(Config(20), Prop.ForAll(FrameInputs.AnyJsonText(), text => ParsesCleanly(Encoding.UTF8.GetBytes(text))));

    [Fact]
    public void A_well_formed_send_is_read_as_exactly_what_it_says() =>
        Check.One(Config(10), Prop.ForAll(FrameInputs.ValidSends(), send =>
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new { type = "send", conversationId = send.ConversationId, clientMessageId = send.ClientMessageId, text = send.Text, unknown = UnknownField });
            var parsed = ClientFrameParser.Parse(json);
            return parsed.Frame is SendCommand command
                && command == new SendCommand(send.ConversationId, send.ClientMessageId, send.Text, null)
                && parsed.Error is null;
        }));

    [Fact]
    public void Parsing_is_a_function_of_the_bytes_alone() =>
        Check.One(Config(5), Prop.ForAll(FrameInputs.AnyBytes(), bytes =>
            ClientFrameParser.Parse(bytes).ToString() == ClientFrameParser.Parse(bytes.ToArray()).ToString()));

    private static FsCheck.Config Config(int factor) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(FaultSettings.PropertyRuns * factor).WithQuietOnSuccess(true);

    /// <summary>Exactly one of frame and error; an error has a parsing code and a message; a frame obeys the contract's rules.</summary>
    private static bool ParsesCleanly(byte[] bytes)
    {
        FrameParseResult result;
        try
        {
            result = ClientFrameParser.Parse(bytes);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Parse threw {e.GetType().Name} for bytes {Convert.ToHexString(bytes[..Math.Min(bytes.Length, 200)])}", e);
        }

        return (result.Frame, result.Error) switch
        {
            (null, { } error) => ErrorCodesOfParsing.Contains(error.Code) && !string.IsNullOrWhiteSpace(error.Message),
            ({ } frame, null) => Obeys(frame),
            _ => false,
        };
    }

    private static bool Obeys(ClientFrame frame) => frame switch
    {
        SendCommand send => Ids.IsWellFormed(send.ConversationId)
            && send.ClientMessageId.Length is > 0 and <= Validate.MaxClientMessageIdLength
            && (send.Text is not null || send.MediaId is not null)
            && (send.Text is null || Validate.CodePoints(send.Text) <= Validate.MaxTextCodePoints)
            && (send.MediaId is null || Ids.IsWellFormed(send.MediaId)),
        CursorCommand cursor => Ids.IsWellFormed(cursor.ConversationId) && cursor.Seq >= 0,
        TypingCommand typing => Ids.IsWellFormed(typing.ConversationId),
        SyncCommand sync => sync.Cursors.Count <= ClientFrameParser.MaxSyncCursors && sync.Cursors.Values.All(seq => seq >= 0),
        PingCommand => true,
        _ => false,
    };
}
