using System.Text;
using Messenger.Core.Errors;
using Messenger.Core.Protocol;

namespace Messenger.Core.Tests;

public sealed class ClientFrameParserTests
{
    [Fact]
    public void Send_with_text_parses()
    {
        var frame = ParseValid<SendCommand>("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"hello"}""");

        Assert.Equal(new SendCommand("c_1", "k1", "hello", null), frame);
    }

    [Fact]
    public void Send_with_media_only_parses()
    {
        var frame = ParseValid<SendCommand>("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","mediaId":"md_9"}""");

        Assert.Equal(new SendCommand("c_1", "k1", null, "md_9"), frame);
    }

    [Fact]
    public void Delivered_parses_as_a_cursor_command_that_is_not_read()
    {
        var frame = ParseValid<CursorCommand>("""{"type":"delivered","conversationId":"c_1","seq":7}""");

        Assert.Equal(new CursorCommand("c_1", 7, Read: false), frame);
    }

    [Fact]
    public void Read_parses_as_a_read_cursor_command()
    {
        var frame = ParseValid<CursorCommand>("""{"type":"read","conversationId":"c_1","seq":0}""");

        Assert.Equal(new CursorCommand("c_1", 0, Read: true), frame);
    }

    [Fact]
    public void Typing_parses()
    {
        var frame = ParseValid<TypingCommand>("""{"type":"typing","conversationId":"c_1"}""");

        Assert.Equal("c_1", frame.ConversationId);
    }

    [Fact]
    public void Sync_parses_its_cursors()
    {
        var frame = ParseValid<SyncCommand>("""{"type":"sync","cursors":{"c_1":3,"c_2":0}}""");

        Assert.Equal(2, frame.Cursors.Count);
        Assert.Equal(3, frame.Cursors["c_1"]);
        Assert.Equal(0, frame.Cursors["c_2"]);
    }

    [Theory]
    [InlineData("""{"type":"sync"}""")]
    [InlineData("""{"type":"sync","cursors":null}""")]
    [InlineData("""{"type":"sync","cursors":{}}""")]
    public void Sync_without_cursors_has_none(string json)
    {
        Assert.Empty(ParseValid<SyncCommand>(json).Cursors);
    }

    [Fact]
    public void Ping_parses()
    {
        ParseValid<PingCommand>("""{"type":"ping"}""");
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var frame = ParseValid<SendCommand>(
            """{"extra":{"deep":[1,2,3]},"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"hi","future":true}""");

        Assert.Equal(new SendCommand("c_1", "k1", "hi", null), frame);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"type\":\"ping\"")]
    [InlineData("not json")]
    [InlineData("{\"type\":\"ping\"} {\"type\":\"ping\"}")]
    [InlineData("{'type':'ping'}")]
    public void Invalid_json_is_a_bad_request(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"type\":\"ping\"}]")]
    [InlineData("\"ping\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void A_json_value_that_is_not_an_object_is_a_bad_request(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"conversationId":"c_1"}""")]
    public void Missing_type_is_a_bad_request(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Theory]
    [InlineData("""{"type":"shout"}""")]
    [InlineData("""{"type":"Send"}""")]
    [InlineData("""{"type":""}""")]
    public void Unknown_type_is_a_bad_request(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Fact]
    public void Unknown_type_echoes_the_client_message_id()
    {
        AssertError(Parse("""{"type":"shout","clientMessageId":"k9"}"""), ErrorCodes.BadRequest, expectedRef: "k9");
    }

    [Theory]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":["send"]}""")]
    [InlineData("""{"type":"typing","conversationId":12}""")]
    [InlineData("""{"type":"read","conversationId":"c_1","seq":"5"}""")]
    [InlineData("""{"type":"read","conversationId":"c_1","seq":true}""")]
    [InlineData("""{"type":"read","conversationId":"c_1","seq":null}""")]
    [InlineData("""{"type":"read","conversationId":"c_1"}""")]
    [InlineData("""{"type":"delivered","conversationId":"c_1","seq":1.5}""")]
    [InlineData("""{"type":"send","conversationId":"c_1","clientMessageId":7,"text":"hi"}""")]
    public void Wrong_property_types_are_a_bad_request(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Theory]
    [InlineData("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":42}""")]
    [InlineData("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":{"a":1}}""")]
    [InlineData("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","mediaId":1}""")]
    [InlineData("""{"type":"send","conversationId":5,"clientMessageId":"k1","text":"hi"}""")]
    [InlineData("""{"type":"send","conversationId":"../x","clientMessageId":"k1","text":"hi"}""")]
    [InlineData("""{"type":"send","clientMessageId":"k1","text":"hi"}""")]
    [InlineData("""{"type":"send","conversationId":"c_1","clientMessageId":"k1"}""")]
    [InlineData("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"   "}""")]
    public void Bad_send_is_a_bad_request_that_echoes_the_client_message_id(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: "k1");
    }

    [Theory]
    [InlineData("a||b")]
    [InlineData("a|b")]
    public void Send_with_a_vertical_bar_in_the_client_message_id_is_a_bad_request_that_echoes_it(string clientMessageId)
    {
        var json = $$"""{"type":"send","conversationId":"c_1","clientMessageId":"{{clientMessageId}}","text":"hi"}""";

        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: clientMessageId);
    }

    [Fact]
    public void Send_without_client_message_id_is_a_bad_request()
    {
        AssertError(Parse("""{"type":"send","conversationId":"c_1","text":"hi"}"""), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Fact]
    public void Send_with_text_past_4096_code_points_is_too_large_and_echoes_the_client_message_id()
    {
        var json = $$"""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"{{new string('a', 4097)}}"}""";

        AssertError(Parse(json), ErrorCodes.TooLarge, expectedRef: "k1");
    }

    [Fact]
    public void Send_with_4096_emoji_is_accepted()
    {
        var text = string.Concat(Enumerable.Repeat("\U0001F600", 4096));
        var json = $$"""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"{{text}}"}""";

        var frame = ParseValid<SendCommand>(json);

        Assert.Equal(text, frame.Text);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Negative_seq_is_a_bad_request(long seq)
    {
        AssertError(Parse($$"""{"type":"read","conversationId":"c_1","seq":{{seq}}}"""), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("1e30")]
    [InlineData("123456789012345678901234567890")]
    public void Seq_beyond_a_64_bit_integer_is_a_bad_request(string seq)
    {
        AssertError(Parse($$"""{"type":"delivered","conversationId":"c_1","seq":{{seq}}}"""), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Fact]
    public void Seq_at_the_64_bit_maximum_parses()
    {
        var frame = ParseValid<CursorCommand>($$"""{"type":"delivered","conversationId":"c_1","seq":{{long.MaxValue}}}""");

        Assert.Equal(long.MaxValue, frame.Seq);
    }

    [Theory]
    [InlineData("""{"type":"sync","cursors":[]}""")]
    [InlineData("""{"type":"sync","cursors":"c_1"}""")]
    [InlineData("""{"type":"sync","cursors":5}""")]
    public void Sync_cursors_that_are_not_an_object_are_a_bad_request(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Theory]
    [InlineData("""{"type":"sync","cursors":{"c_1":-1}}""")]
    [InlineData("""{"type":"sync","cursors":{"c_1":"3"}}""")]
    [InlineData("""{"type":"sync","cursors":{"c_1":null}}""")]
    [InlineData("""{"type":"sync","cursors":{"c_1":2.5}}""")]
    [InlineData("""{"type":"sync","cursors":{"c_1":1e40}}""")]
    public void Sync_cursor_values_that_are_not_non_negative_integers_are_a_bad_request(string json)
    {
        AssertError(Parse(json), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Fact]
    public void Sync_with_too_many_cursors_is_too_large()
    {
        var cursors = string.Join(',', Enumerable.Range(0, ClientFrameParser.MaxSyncCursors + 1).Select(i => $"\"c_{i}\":0"));

        AssertError(Parse($$$"""{"type":"sync","cursors":{{{{cursors}}}}}"""), ErrorCodes.TooLarge, expectedRef: null);
    }

    [Fact]
    public void Too_deep_nesting_is_a_bad_request()
    {
        var deep = new string('[', 100) + new string(']', 100);

        AssertError(Parse($$"""{"type":"ping","junk":{{deep}}}"""), ErrorCodes.BadRequest, expectedRef: null);
    }

    [Fact]
    public void Nesting_within_the_limit_is_accepted_and_ignored()
    {
        ParseValid<PingCommand>("""{"type":"ping","junk":[[[1]]]}""");
    }

    [Fact]
    public void Invalid_utf8_bytes_in_the_text_are_a_bad_request()
    {
        var bytes = Concat("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"a""", [0xC3, 0x28], "\"}");

        AssertError(ParseBytes(bytes), ErrorCodes.BadRequest);
    }

    [Fact]
    public void Invalid_utf8_bytes_in_the_type_are_a_bad_request()
    {
        var bytes = Concat("""{"type":"pi""", [0xFF, 0xFE], "\"}");

        AssertError(ParseBytes(bytes), ErrorCodes.BadRequest);
    }

    [Fact]
    public void Invalid_utf8_bytes_in_a_sync_cursor_name_are_a_bad_request()
    {
        var bytes = Concat("""{"type":"sync","cursors":{"c_""", [0xED, 0xA0, 0x80], "\":1}}");

        AssertError(ParseBytes(bytes), ErrorCodes.BadRequest);
    }

    [Fact]
    public void Invalid_utf8_bytes_outside_strings_are_a_bad_request()
    {
        var bytes = Concat("""{"type":"ping"}""", [0xFF], "");

        AssertError(ParseBytes(bytes), ErrorCodes.BadRequest);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("a\\udc00b")]
    public void Text_with_an_escaped_lone_surrogate_is_a_bad_request(string escaped)
    {
        var json = $$"""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"{{escaped}}"}""";

        AssertError(Parse(json), ErrorCodes.BadRequest);
    }

    private static FrameParseResult Parse(string json) => ParseBytes(Encoding.UTF8.GetBytes(json));

    private static FrameParseResult ParseBytes(byte[] bytes)
    {
        // The parser's contract: never an exception, always a frame or an error.
        var result = ClientFrameParser.Parse(bytes);
        Assert.True(result.Frame is null != result.Error is null, "exactly one of Frame and Error");
        return result;
    }

    private static T ParseValid<T>(string json)
        where T : ClientFrame
    {
        var result = Parse(json);
        Assert.Null(result.Error);
        return Assert.IsType<T>(result.Frame);
    }

    private static void AssertError(FrameParseResult result, string code, string? expectedRef) =>
        Assert.Equal(expectedRef, AssertError(result, code).Ref);

    private static ErrorFrame AssertError(FrameParseResult result, string code)
    {
        Assert.Null(result.Frame);
        var error = Assert.IsType<ErrorFrame>(result.Error);
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    private static byte[] Concat(string head, byte[] middle, string tail) =>
        [.. Encoding.UTF8.GetBytes(head), .. middle, .. Encoding.UTF8.GetBytes(tail)];
}
