namespace Messenger.Dapr.Tests.Infrastructure;

/// <summary>
/// Reads the YAML subset our Dapr files use (block mappings and sequences, plain or quoted scalars, flow sequences of
/// scalars, comments) into dictionaries, lists and strings. Anything else in a file makes it throw.
/// </summary>
internal static class MiniYaml
{
    public static IReadOnlyList<object?> LoadAll(string path) =>
        File.ReadAllText(path).Split("\n---", StringSplitOptions.RemoveEmptyEntries).Select(Parse).Where(d => d is not null).ToList();

    public static object? Parse(string text)
    {
        var lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n')
            .Select(StripComment)
            .Where(l => l.Trim().Length > 0 && l.Trim() != "---")
            .ToList();
        if (lines.Count == 0)
        {
            return null;
        }

        var i = 0;
        var value = Block(lines, ref i, Indent(lines[0]));
        return i == lines.Count ? value : throw new FormatException($"Unexpected line: {lines[i]}");
    }

    public static Dictionary<string, object?> Map(object? node) => node as Dictionary<string, object?> ?? throw new FormatException("Expected a mapping.");

    public static List<object?> Seq(object? node) => node as List<object?> ?? throw new FormatException("Expected a sequence.");

    private static object Block(List<string> lines, ref int i, int indent) =>
        lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal) || lines[i].Trim() == "-"
            ? Sequence(lines, ref i, indent)
            : Mapping(lines, ref i, indent);

    private static Dictionary<string, object?> Mapping(List<string> lines, ref int i, int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (i < lines.Count && Indent(lines[i]) == indent && !lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal))
        {
            var line = lines[i].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Expected key: value, got {line}");
            }

            var key = Unquote(line[..colon].Trim());
            var rest = line[(colon + 1)..].Trim();
            i++;
            if (rest.Length > 0)
            {
                map[key] = Scalar(rest);
            }
            else if (i < lines.Count && (Indent(lines[i]) > indent || (Indent(lines[i]) == indent && lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal))))
            {
                map[key] = Block(lines, ref i, Indent(lines[i]));
            }
            else
            {
                map[key] = null;
            }
        }

        return map;
    }

    private static List<object?> Sequence(List<string> lines, ref int i, int indent)
    {
        var list = new List<object?>();
        while (i < lines.Count && Indent(lines[i]) == indent && lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal))
        {
            var item = lines[i].TrimStart()[2..];
            if (item.Contains(": ", StringComparison.Ordinal) || item.TrimEnd().EndsWith(':'))
            {
                lines[i] = new string(' ', indent + 2) + item;
                list.Add(Mapping(lines, ref i, indent + 2));
            }
            else
            {
                list.Add(Scalar(item.Trim()));
                i++;
            }
        }

        return list;
    }

    private static object? Scalar(string text)
    {
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            var inner = text[1..^1].Trim();
            return inner.Length == 0 ? new List<object?>() : inner.Split(',').Select(p => (object?)Unquote(p.Trim())).ToList();
        }

        return Unquote(text);
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && ((text[0] == '"' && text[^1] == '"') || (text[0] == '\'' && text[^1] == '\'')) ? text[1..^1] : text;

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i].TrimEnd();
            }
        }

        return line.TrimEnd();
    }
}
