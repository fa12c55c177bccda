using Messenger.Core.Errors;
using Messenger.Core.Services;

namespace Messenger.Core.Tests;

public sealed class ValidateTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("alice")]
    [InlineData("a.b-c_1")]
    [InlineData("0123456789")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Username_accepts_lower_case_names_of_3_to_32_allowed_characters(string username)
    {
        Assert.Equal(username, Validate.Username(username));
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("ALICE")]
    [InlineData("aliCe")]
    public void Username_with_upper_case_is_a_bad_request(string username)
    {
        AssertBadRequest(() => Validate.Username(username));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("al ice")]
    [InlineData("al@ice")]
    [InlineData("ålice")]
    [InlineData("alice\n")]
    [InlineData("al/ice")]
    public void Username_outside_the_rules_is_a_bad_request(string? username)
    {
        AssertBadRequest(() => Validate.Username(username));
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("correct horse battery staple")]
    public void Password_of_at_least_8_characters_is_accepted(string password)
    {
        Assert.Equal(password, Validate.Password(password));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1234567")]
    public void Password_shorter_than_8_characters_is_a_bad_request(string? password)
    {
        AssertBadRequest(() => Validate.Password(password));
    }

    [Fact]
    public void Password_longer_than_the_maximum_is_a_bad_request()
    {
        AssertBadRequest(() => Validate.Password(new string('x', Validate.MaxPasswordLength + 1)));
    }

    [Fact]
    public void Body_accepts_text_of_exactly_4096_code_points()
    {
        Validate.Body(new string('a', 4096), null);
    }

    [Fact]
    public void Body_past_4096_code_points_is_too_large()
    {
        var e = Assert.Throws<ChatException>(() => Validate.Body(new string('a', 4097), null));
        Assert.Equal(ErrorCodes.TooLarge, e.Code);
    }

    [Fact]
    public void Body_counts_an_emoji_as_one_code_point()
    {
        var emoji = "\U0001F600";
        Assert.Equal(2, emoji.Length);
        var text = string.Concat(Enumerable.Repeat(emoji, 4096));

        Validate.Body(text, null);

        Assert.Equal(4096, Validate.CodePoints(text));
        var e = Assert.Throws<ChatException>(() => Validate.Body(text + emoji, null));
        Assert.Equal(ErrorCodes.TooLarge, e.Code);
    }

    [Fact]
    public void Body_with_a_lone_surrogate_is_a_bad_request()
    {
        // Not theory data: the runner's serialisation would mangle ill-formed UTF-16 into U+FFFD.
        foreach (var text in new[] { "\uD800", "abc\uDC00", "\uDC00\uD800", "x\uD83Dy", "\uD83D" })
        {
            AssertBadRequest(() => Validate.Body(text, null));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Body_with_neither_text_nor_media_is_a_bad_request(string? text)
    {
        AssertBadRequest(() => Validate.Body(text, null));
    }

    [Fact]
    public void Body_with_media_only_is_accepted()
    {
        Validate.Body(null, "md_0123abcd");
    }

    [Fact]
    public void Body_with_a_malformed_media_id_is_a_bad_request()
    {
        AssertBadRequest(() => Validate.Body("hi", "../etc/passwd"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("3f2b1c9e-0d4a-4b8e-9f1a-2c3d4e5f6a7b")]
    [InlineData("any printable text, even spaces")]
    public void ClientMessageId_accepts_1_to_128_printable_characters(string id)
    {
        Assert.Equal(id, Validate.ClientMessageId(id));
    }

    [Fact]
    public void ClientMessageId_of_128_characters_is_accepted_and_129_is_not()
    {
        Validate.ClientMessageId(new string('k', 128));
        AssertBadRequest(() => Validate.ClientMessageId(new string('k', 129)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData("nul\0")]
    public void ClientMessageId_missing_or_with_control_characters_is_a_bad_request(string? id)
    {
        AssertBadRequest(() => Validate.ClientMessageId(id));
    }

    [Theory]
    [InlineData("a||b")]
    [InlineData("||")]
    [InlineData("|")]
    [InlineData("left|right")]
    [InlineData("trailing|")]
    public void ClientMessageId_with_a_vertical_bar_is_a_bad_request_that_names_it(string id)
    {
        var e = Assert.Throws<ChatException>(() => Validate.ClientMessageId(id));

        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        Assert.Contains("'|'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c_0123456789abcdef")]
    [InlineData("u_ABC-def")]
    [InlineData("x")]
    public void Id_accepts_well_formed_ids(string id)
    {
        Assert.Equal(id, Validate.Id(id, "conversationId"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("c 1")]
    [InlineData("c:1")]
    [InlineData("c_é")]
    public void Id_malformed_is_a_bad_request_naming_the_field(string? id)
    {
        var e = Assert.Throws<ChatException>(() => Validate.Id(id, "conversationId"));
        Assert.Equal(ErrorCodes.BadRequest, e.Code);
        Assert.Contains("conversationId", e.Message);
    }

    [Fact]
    public void Id_longer_than_64_characters_is_a_bad_request()
    {
        Validate.Id(new string('a', 64), "id");
        AssertBadRequest(() => Validate.Id(new string('a', 65), "id"));
    }

    [Fact]
    public void Seq_negative_is_a_bad_request()
    {
        Assert.Equal(0, Validate.Seq(0));
        AssertBadRequest(() => Validate.Seq(-1));
    }

    private static void AssertBadRequest(Action action)
    {
        var e = Assert.Throws<ChatException>(action);
        Assert.Equal(ErrorCodes.BadRequest, e.Code);
    }

    private static void AssertBadRequest(Func<object?> action) => AssertBadRequest(() => { _ = action(); });
}
