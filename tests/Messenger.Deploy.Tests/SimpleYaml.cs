using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Messenger.Deploy.Tests;

/// <summary>
/// Reads the subset of YAML that the chart's values files are kept to: block maps, block lists of scalars, plain,
/// single- and double-quoted scalars, <c>{}</c> and <c>[]</c>, and comments. Anything else (flow collections with
/// content, anchors, block scalars, lists of maps, tabs) is refused, so a values file cannot drift outside what the
/// tests read faithfully.
/// </summary>
public static partial class SimpleYaml
{
    public static JsonNode? Parse(string text)
    {
        var lines = ReadLines(text);
        if (lines.Count == 0)
        {
            return null;
        }

        var index = 0;
        var node = ParseBlock(lines, ref index, lines[0].Indent);
        if (index != lines.Count)
        {
            throw Error(lines[index], "unexpected indentation");
        }

        return node;
    }

    private static JsonNode ParseBlock(List<Line> lines, ref int index, int indent)
    {
        return IsListItem(lines[index].Content) ? ParseList(lines, ref index, indent) : ParseMap(lines, ref index, indent);
    }

    private static JsonObject ParseMap(List<Line> lines, ref int index, int indent)
    {
        var map = new JsonObject();
        while (index < lines.Count && lines[index].Indent == indent && !IsListItem(lines[index].Content))
        {
            var line = lines[index];
            var match = KeyPattern().Match(line.Content);
            if (!match.Success)
            {
                throw Error(line, "expected 'key: value'");
            }

            var key = match.Groups["key"].Value;
            if (key.StartsWith('"') || key.StartsWith('\''))
            {
                key = ParseScalar(key, line)?.GetValue<string>() ?? throw Error(line, "empty key");
            }

            if (map.ContainsKey(key))
            {
                throw Error(line, $"duplicate key '{key}'");
            }

            var rest = match.Groups["rest"].Value;
            index++;
            JsonNode? value;
            if (rest.Length > 0)
            {
                value = ParseScalar(rest, line);
            }
            else if (index < lines.Count && lines[index].Indent > indent)
            {
                value = ParseBlock(lines, ref index, lines[index].Indent);
            }
            else if (index < lines.Count && lines[index].Indent == indent && IsListItem(lines[index].Content))
            {
                value = ParseList(lines, ref index, indent);
            }
            else
            {
                value = null;
            }

            map[key] = value;
        }

        if (index < lines.Count && lines[index].Indent > indent)
        {
            throw Error(lines[index], "unexpected indentation");
        }

        return map;
    }

    private static JsonArray ParseList(List<Line> lines, ref int index, int indent)
    {
        var list = new JsonArray();
        while (index < lines.Count && lines[index].Indent == indent && IsListItem(lines[index].Content))
        {
            var line = lines[index];
            var item = line.Content.Length == 1 ? string.Empty : line.Content[2..].Trim();
            if (item.Length == 0 || KeyPattern().IsMatch(item))
            {
                throw Error(line, "only lists of scalars are supported");
            }

            list.Add(ParseScalar(item, line));
            index++;
        }

        return list;
    }

    private static JsonNode? ParseScalar(string raw, Line line)
    {
        var text = raw.Trim();
        if (text.StartsWith('"'))
        {
            return JsonValue.Create(Unquote(text, line));
        }

        if (text.StartsWith('\''))
        {
            if (text.Length < 2 || !text.EndsWith('\''))
            {
                throw Error(line, "unterminated quoted string");
            }

            return JsonValue.Create(text[1..^1].Replace("''", "'", StringComparison.Ordinal));
        }

        switch (text)
        {
            case "{}":
                return new JsonObject();
            case "[]":
                return new JsonArray();
            case "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if ("{[&*!|>%@`".Contains(text[0], StringComparison.Ordinal))
        {
            throw Error(line, $"unsupported YAML syntax '{text}'");
        }

        if (IntegerPattern().IsMatch(text))
        {
            return JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(text))
        {
            return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    private static string Unquote(string text, Line line)
    {
        var builder = new StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                if (i != text.Length - 1)
                {
                    throw Error(line, "text after a quoted string");
                }

                return builder.ToString();
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                builder.Append(text[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    _ => throw Error(line, $"unsupported escape '\\{text[i]}'"),
                });
                continue;
            }

            builder.Append(c);
        }

        throw Error(line, "unterminated quoted string");
    }

    private static List<Line> ReadLines(string text)
    {
        var lines = new List<Line>();
        var number = 0;
        foreach (var rawLine in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            if (rawLine.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"line {number}: tabs are not allowed");
            }

            var content = StripComment(rawLine).TrimEnd();
            if (content.Trim().Length == 0)
            {
                continue;
            }

            if (content.Trim() is "---" or "...")
            {
                throw new FormatException($"line {number}: one document only");
            }

            var indent = content.Length - content.TrimStart(' ').Length;
            lines.Add(new Line(number, indent, content.Trim()));
        }

        return lines;
    }

    private static string StripComment(string line)
    {
        var inDouble = false;
        var inSingle = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && inDouble)
            {
                i++;
            }
            else if (c == '"' && !inSingle)
            {
                inDouble = !inDouble;
            }
            else if (c == '\'' && !inDouble)
            {
                inSingle = !inSingle;
            }
            else if (c == '#' && !inDouble && !inSingle && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static bool IsListItem(string content) => content == "-" || content.StartsWith("- ", StringComparison.Ordinal);

    private static FormatException Error(Line line, string message) => new($"line {line.Number}: {message}: {line.Content}");

    [GeneratedRegex("""^(?<key>"[^"]*"|'[^']*'|[^\s"'#{}\[\],&*!|>][^:]*?):(?:\s+(?<rest>.*))?$""")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^-?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^-?[0-9]+\.[0-9]+$")]
    private static partial Regex FloatPattern();

    private sealed record Line(int Number, int Indent, string Content);
}
