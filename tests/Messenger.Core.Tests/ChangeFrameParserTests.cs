using System.Text;
using Messenger.Core.Errors;
using Messenger.Core.Protocol;

namespace Messenger.Core.Tests;

/// <summary>The frames of replies, reactions, edits and deletes.</summary>
public sealed class ChangeFrameParserTests
{
    [Fact]
    public void Send_with_reply_to_parses()
    {
        var frame = ParseValid<SendCommand>("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"yes","replyTo":4}""");

        Assert.Equal(new SendCommand("c_1", "k1", "yes", null, 4), frame);
    }

    [Fact]
    public void React_edit_and_delete_parse()
    {
        Assert.Equal(
            new ReactCommand("c_1", "r1", 3, "👍🏽"),
            ParseValid<ReactCommand>("""{"type":"react","conversationId":"c_1","clientMessageId":"r1","targetSeq":3,"emoji":"👍🏽"}"""));
        Assert.Equal(
            new ReactCommand("c_1", "r2", 3, null),
            ParseValid<ReactCommand>("""{"type":"react","conversationId":"c_1","clientMessageId":"r2","targetSeq":3,"emoji":null}"""));
        Assert.Equal(
            new EditCommand("c_1", "e1", 3, "fixed"),
            ParseValid<EditCommand>("""{"type":"edit","conversationId":"c_1","clientMessageId":"e1","targetSeq":3,"text":"fixed"}"""));
        Assert.Equal(
            new DeleteCommand("c_1", "d1", 3),
            ParseValid<DeleteCommand>("""{"type":"delete","conversationId":"c_1","clientMessageId":"d1","targetSeq":3}"""));
    }

    [Theory]
    [InlineData("""{"type":"react","conversationId":"c_1","clientMessageId":"r1","targetSeq":3,"emoji":"👍👍"}""")]
    [InlineData("""{"type":"react","conversationId":"c_1","clientMessageId":"r1","targetSeq":3,"emoji":"ab"}""")]
    [InlineData("""{"type":"react","conversationId":"c_1","clientMessageId":"r1","targetSeq":3,"emoji":""}""")]
    [InlineData("""{"type":"react","conversationId":"c_1","clientMessageId":"r1","targetSeq":3,"emoji":"👨‍👩‍👧‍👦👨‍👩‍👧‍👦"}""")]
    [InlineData("""{"type":"react","conversationId":"c_1","clientMessageId":"r1","targetSeq":0,"emoji":"👍"}""")]
    [InlineData("""{"type":"react","conversationId":"c_1","clientMessageId":"r1","emoji":"👍"}""")]
    [InlineData("""{"type":"edit","conversationId":"c_1","clientMessageId":"e1","targetSeq":3,"text":"  "}""")]
    [InlineData("""{"type":"delete","conversationId":"c_1","clientMessageId":"d1","targetSeq":"3"}""")]
    [InlineData("""{"type":"send","conversationId":"c_1","clientMessageId":"k1","text":"x","replyTo":-1}""")]
    public void Bad_changes_are_bad_requests_that_name_their_client_message_id(string json)
    {
        var result = ClientFrameParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Null(result.Frame);
        Assert.Equal(ErrorCodes.BadRequest, result.Error!.Code);
    }

    [Fact]
    public void An_emoji_of_more_than_32_bytes_is_refused_even_as_one_grapheme()
    {
        // One family emoji with skin tones: one grapheme cluster, 41 bytes of UTF-8.
        var json = """{"type":"react","conversationId":"c_1","clientMessageId":"r1","targetSeq":3,"emoji":"👨🏽‍👩🏽‍👧🏽‍👦🏽"}""";

        var result = ClientFrameParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(ErrorCodes.BadRequest, result.Error!.Code);
        Assert.Equal("r1", result.Error.Ref);
    }

    private static T ParseValid<T>(string json)
        where T : ClientFrame
    {
        var result = ClientFrameParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Null(result.Error);
        return Assert.IsType<T>(result.Frame);
    }
}
