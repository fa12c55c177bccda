using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Messenger.Testing;

/// <summary>
/// Reads YAML (through YamlDotNet's representation model) in two views: <see cref="Parse"/> gives mappings, sequences
/// and scalars as written (strings), <see cref="ParseJson"/> gives JSON nodes with scalars typed as YAML 1.2's core
/// schema types them (null, bool, int, float; quoted scalars stay strings). A text holds at most one document.
/// </summary>
public static partial class Yaml
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>The document as dictionaries (<c>Dictionary&lt;string, object?&gt;</c>), lists (<c>List&lt;object?&gt;</c>), strings and nulls.</summary>
    public static object? Parse(string text) => Root(text) is { } root ? Plain(root) : null;

    /// <summary>The document as JSON: mappings are objects, sequences arrays, scalars typed.</summary>
    public static JsonNode? ParseJson(string text) => Root(text) is { } root ? Typed(root) : null;

    public static Dictionary<string, object?> Map(object? node) => node as Dictionary<string, object?> ?? throw new FormatException("Expected a mapping.");

    public static List<object?> Seq(object? node) => node as List<object?> ?? throw new FormatException("Expected a sequence.");

    private static YamlNode? Root(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count switch
        {
            0 => null,
            1 => stream.Documents[0].RootNode,
            var n => throw new FormatException($"Expected one YAML document, found {n}."),
        };
    }

    private static object? Plain(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(p => Key(p.Key), p => Plain(p.Value), StringComparer.Ordinal),
        YamlSequenceNode seq => seq.Children.Select(Plain).ToList(),
        YamlScalarNode scalar => IsNull(scalar) ? null : scalar.Value,
        _ => throw new FormatException($"Unexpected YAML node at {node.Start}."),
    };

    private static JsonNode? Typed(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var json = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    json.Add(Key(key), Typed(value));
                }

                return json;
            case YamlSequenceNode seq:
                return new JsonArray(seq.Children.Select(Typed).ToArray());
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new FormatException($"Unexpected YAML node at {node.Start}.");
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || IsStringTagged(scalar))
        {
            return JsonValue.Create(text);
        }

        if (IsNull(scalar))
        {
            return null;
        }

        if (BoolText().IsMatch(text))
        {
            return JsonValue.Create(char.ToLowerInvariant(text[0]) == 't');
        }

        if (IntText().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatText().IsMatch(text))
        {
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && !IsStringTagged(scalar) && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static bool IsStringTagged(YamlScalarNode scalar) =>
        !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == StringTag;

    private static string Key(YamlNode key) =>
        key is YamlScalarNode { Value: { } text } ? text : throw new FormatException($"Expected a scalar key at {key.Start}.");

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex BoolText();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntText();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatText();
}
