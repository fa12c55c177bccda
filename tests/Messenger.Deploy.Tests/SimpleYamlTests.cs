using System.Text.Json.Nodes;

namespace Messenger.Deploy.Tests;

public sealed class SimpleYamlTests
{
    [Fact]
    public void Parses_nested_maps_lists_and_typed_scalars()
    {
        const string yaml = """
            # comment
            a:
              b: 1
              c: "1"   # quoted stays a string
              d: true
              e: it's plain
              f: {}
            list:
              - /ws
              - "/"
            same-indent:
            - x
            empty:
            """;

        var node = (JsonObject)SimpleYaml.Parse(yaml)!;

        Assert.Equal(1L, node["a"]!["b"]!.GetValue<long>());
        Assert.Equal("1", node["a"]!["c"]!.GetValue<string>());
        Assert.True(node["a"]!["d"]!.GetValue<bool>());
        Assert.Equal("it's plain", node["a"]!["e"]!.GetValue<string>());
        Assert.Empty((JsonObject)node["a"]!["f"]!);
        Assert.Equal(["/ws", "/"], node["list"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["x"], node["same-indent"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Null(node["empty"]);
    }

    [Theory]
    [InlineData("a: [1, 2]")]
    [InlineData("a: &anchor x")]
    [InlineData("a: |\n  text")]
    [InlineData("a:\n  - b: 1")]
    [InlineData("a: 1\na: 2")]
    [InlineData("a:\n  b: 1\n    c: 2")]
    [InlineData("a: \"open")]
    public void Refuses_what_it_cannot_read_faithfully(string yaml)
    {
        Assert.Throws<FormatException>(() => SimpleYaml.Parse(yaml));
    }
}
