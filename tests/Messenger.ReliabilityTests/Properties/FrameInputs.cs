using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Messenger.ReliabilityTests.Properties;

/// <summary>
/// Generators of what a hostile or broken client can put in one WebSocket text frame: raw bytes, JSON-ish text built
/// from the protocol's own field names with wrong types, odd strings and deep nesting, and damaged valid frames.
/// </summary>
public static class FrameInputs
{
    private static readonly string[] Keys =
        ["type", "conversationId", "clientMessageId", "text", "mediaId", "seq", "cursors", "ref", "c_0123456789abcdef", "", "extra", "__proto__", "type "];

    private static readonly string[] Types = ["send", "delivered", "read", "typing", "sync", "ping", "SEND", "Send", "", "pong", "sent", "message", "send\u0000"];

    private static readonly string[] Strings =
    [
        "c_0123456789abcdef0123456789abcdef", "k1", "hello", "", " ", "../../etc/passwd", "..\\\\..\\\\windows", "%2e%2e%2f", "c_%00",
        "\\u0000", "a\\u0000b", "\\ud800", "\\udfff\\ud800", "\\ud83d\\ude00", "😀", "é", "\\\"", "\\\\", "\\n\\t", "<script>", "c_\\u202e",
        "' OR 1=1 --", "${jndi:ldap://x}", "null", "NaN",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "7", "1.5", "-0", "1e3", "1e400", "-1e400", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "0.0000001", "1E+2", "3.0", "1e-400",
    ];

    // Not JSON at all, but what a sloppy encoder writes.
    private static readonly string[] BadTokens = ["00", "-", "+1", ".5", "0x10", "Infinity", "NaN", "undefined", "'single'", "True"];

    private static readonly string[] ValidFrames =
    [
        "\"type\":\"send\",\"conversationId\":\"c_0123456789abcdef\",\"clientMessageId\":\"k1\",\"text\":\"hi\"",
        "\"type\":\"send\",\"conversationId\":\"c_0123456789abcdef\",\"clientMessageId\":\"k1\",\"mediaId\":\"md_1\"",
        "\"type\":\"delivered\",\"conversationId\":\"c_0123456789abcdef\",\"seq\":3",
        "\"type\":\"read\",\"conversationId\":\"c_0123456789abcdef\",\"seq\":0",
        "\"type\":\"typing\",\"conversationId\":\"c_0123456789abcdef\"",
        "\"type\":\"sync\",\"cursors\":{\"c_0123456789abcdef\":2,\"c_1\":0}",
        "\"type\":\"ping\"",
    ];

    /// <summary>Any bytes at all: random, random over a JSON-ish alphabet, or a damaged valid frame.</summary>
    public static Arbitrary<byte[]> AnyBytes() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>(),
            Gen.Elements("{}[]\":,\\ \t\nabcdeupty0123456789-+.eE\u0000\u00ff".ToCharArray()).ArrayOf().Select(c => Encoding.UTF8.GetBytes(new string(c))),
            JsonText().SelectMany(text => Damage(Encoding.UTF8.GetBytes(text))))
        .ToArbitrary();

    /// <summary>JSON-ish text: mostly well-formed JSON of protocol-like objects, sometimes slightly broken.</summary>
    public static Arbitrary<string> AnyJsonText() => JsonText().ToArbitrary();

    /// <summary>A well-formed send frame and the fields it carries.</summary>
    public static Arbitrary<ValidSend> ValidSends() =>
        (from id in Gen.Choose(1, 64).SelectMany(n => Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789_-".ToCharArray()).ArrayOf(n))
         from client in Gen.Choose(1, 60).SelectMany(n => Gen.Elements("a", "b", "c", "-", "X", "_", "0", "9", ".", ":", "é", "😀", " ").ListOf(n))
         from text in Gen.Elements("hi", "héllo wörld", "😀😀", "line\nbreak", "tab\there", "quote \" and \\ slash", new string('x', 4096))
         select new ValidSend(new string(id), string.Concat(client).Trim() is { Length: > 0 } c ? c : "k", text))
        .ToArbitrary();

    private static Gen<string> JsonText() =>
        Gen.Frequency(
            (5, NearlyValid()),
            (4, ObjectGen(0)),
            (1, Gen.Sized(size => Value(0))),
            (1, ObjectGen(0).SelectMany(text => Gen.Choose(0, Math.Max(0, text.Length - 1)).Select(cut => text[..cut]))),
            (1, Gen.Choose(1, 40).Select(depth => new string('[', depth * 10) + new string(']', depth * 10))),
            (1, Gen.Choose(1, 40).Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth))));

    /// <summary>A valid frame with some fields added after it: a repeated key (the last one wins or not), a wrong type, an unknown field.</summary>
    private static Gen<string> NearlyValid() =>
        from frame in Gen.Elements(ValidFrames)
        from count in Gen.Choose(0, 3)
        from fields in Gen.Elements(Keys).SelectMany(key => Field(key, 1)).ListOf(count)
        select "{" + string.Join(",", fields.Prepend(frame)) + "}";

    private static Gen<string> ObjectGen(int depth) =>
        Gen.Choose(0, 6).SelectMany(count =>
            Gen.Elements(Keys).SelectMany(key => Field(key, depth)).ListOf(count)
                .SelectMany(fields => Gen.Elements(Types).Select(type => (fields, type)))
                .SelectMany(pair => Gen.Elements(true, true, false).Select(withType =>
                    "{" + string.Join(",", withType ? pair.fields.Prepend($"\"type\":\"{pair.type}\"") : pair.fields) + "}")));

    private static Gen<string> Field(string key, int depth) => Value(depth).Select(value => $"\"{key}\":{value}");

    private static Gen<string> Value(int depth)
    {
        var scalars = Gen.OneOf(
            Gen.Elements(Strings).Select(s => $"\"{s}\""),
            Gen.Frequency((9, Gen.Elements(Numbers)), (1, Gen.Elements(BadTokens))),
            Gen.Elements("true", "false", "null"),
            Gen.Choose(0, 9000).Select(n => $"\"{new string('y', n)}\""),
            Gen.Choose(-5, 5000).Select(n => n.ToString(CultureInfo.InvariantCulture)));
        if (depth >= 10)
        {
            return scalars;
        }

        return Gen.Frequency(
            (6, scalars),
            (1, Gen.Choose(0, 4).SelectMany(n => Value(depth + 1).ListOf(n)).Select(items => "[" + string.Join(",", items) + "]")),
            (1, ObjectGen(depth + 1)),
            (1, Gen.Choose(0, 4).SelectMany(n => Gen.Elements(Strings).Zip(Gen.Elements(Numbers)).ListOf(n))
                .Select(cursors => "{" + string.Join(",", cursors.Select(c => $"\"{c.Item1}\":{c.Item2}")) + "}")));
    }

    /// <summary>Leaves the bytes as they are, or flips, cuts or inserts bytes (invalid UTF-8 among them).</summary>
    private static Gen<byte[]> Damage(byte[] bytes) =>
        Gen.Frequency(
            (3, Gen.Constant(bytes)),
            (1, Gen.Choose(0, Math.Max(0, bytes.Length - 1)).Zip(Gen.Choose(0, 255)).Select(p => Replace(bytes, p.Item1, (byte)p.Item2))),
            (1, Gen.Choose(0, bytes.Length).Select(cut => bytes[..cut])),
            (1, Gen.Choose(0, bytes.Length).Zip(Gen.Elements(InvalidUtf8)).Select(p => Insert(bytes, p.Item1, p.Item2))));

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x00],
    ];

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];

    private static byte[] Replace(byte[] bytes, int at, byte value)
    {
        if (bytes.Length == 0)
        {
            return [value];
        }

        var copy = (byte[])bytes.Clone();
        copy[at] = value;
        return copy;
    }
}
