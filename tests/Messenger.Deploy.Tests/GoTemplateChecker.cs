using System.Text.RegularExpressions;

namespace Messenger.Deploy.Tests;

/// <summary>
/// A careful reader of the <c>{{ }}</c> actions of a Helm (Go text/template) file, without helm: every action is
/// closed, strings and parentheses inside it are balanced, if/range/with/define blocks are closed by end and else only
/// appears inside them, every function is a known one and every variable is declared before it is used.
/// </summary>
public static partial class GoTemplateChecker
{
    /// <summary>The template functions (Go builtins and the Sprig/Helm ones) the chart may use.</summary>
    public static IReadOnlySet<string> KnownFunctions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "include", "toYaml", "toJson", "nindent", "indent", "quote", "squote", "default", "printf", "print", "tpl",
        "required", "b64enc", "trunc", "trimSuffix", "trimPrefix", "replace", "lower", "upper", "contains", "toString",
        "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len", "index", "empty",
        "dict", "list", "append", "join", "hasKey", "mergeOverwrite", "deepCopy",
    };

    private static readonly HashSet<string> Opening = ["if", "range", "with", "define", "block"];

    private static readonly HashSet<string> Keywords = ["if", "else", "end", "range", "with", "define", "block", "template", "break", "continue", "true", "false", "nil"];

    /// <summary>The problems found in <paramref name="template"/>; empty when it reads cleanly.</summary>
    public static IReadOnlyList<string> Check(string template)
    {
        var problems = new List<string>();
        var blocks = new Stack<(string Keyword, int Line)>();
        var variables = new HashSet<string>(StringComparer.Ordinal) { "$" };

        foreach (var action in Actions(template, problems))
        {
            var body = action.Body;
            if (body.StartsWith("/*", StringComparison.Ordinal))
            {
                if (!body.EndsWith("*/", StringComparison.Ordinal))
                {
                    problems.Add($"line {action.Line}: unterminated comment");
                }

                continue;
            }

            var tokens = Tokenize(body, action.Line, problems);
            if (tokens.Count == 0)
            {
                problems.Add($"line {action.Line}: empty action");
                continue;
            }

            var first = tokens[0];
            if (Opening.Contains(first))
            {
                blocks.Push((first, action.Line));
            }
            else if (first == "else")
            {
                if (blocks.Count == 0 || blocks.Peek().Keyword is not ("if" or "with" or "range"))
                {
                    problems.Add($"line {action.Line}: else outside if/with/range");
                }
            }
            else if (first == "end")
            {
                if (tokens.Count != 1)
                {
                    problems.Add($"line {action.Line}: end takes no arguments");
                }

                if (!blocks.TryPop(out _))
                {
                    problems.Add($"line {action.Line}: end without an open block");
                }
            }

            if (first is "define" or "template" or "block" && (tokens.Count < 2 || !tokens[1].StartsWith('"')))
            {
                problems.Add($"line {action.Line}: {first} needs a quoted name");
            }

            CheckTokens(tokens, action.Line, variables, problems);
        }

        foreach (var (keyword, line) in blocks)
        {
            problems.Add($"line {line}: {keyword} is never closed by end");
        }

        return problems;
    }

    /// <summary>Every <c>.Values.a.b</c> path the template reads, as its segments.</summary>
    public static IReadOnlyList<string[]> ValuesPaths(string template)
    {
        return [.. ValuesPathPattern().Matches(template).Select(m => m.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))];
    }

    /// <summary>The names the template passes to include or template.</summary>
    public static IReadOnlyList<string> IncludedNames(string template)
    {
        return [.. IncludePattern().Matches(template).Select(m => m.Groups[1].Value)];
    }

    /// <summary>The names the template defines.</summary>
    public static IReadOnlyList<string> DefinedNames(string template)
    {
        return [.. DefinePattern().Matches(template).Select(m => m.Groups[1].Value)];
    }

    private static void CheckTokens(List<string> tokens, int line, HashSet<string> variables, List<string> problems)
    {
        var depth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token == "(")
            {
                depth++;
            }
            else if (token == ")" && --depth < 0)
            {
                problems.Add($"line {line}: unbalanced ')'");
                depth = 0;
            }
            else if (token.StartsWith('$'))
            {
                var name = token.Split('.')[0];
                var declares = i + 1 < tokens.Count && tokens[i + 1] is ":=" or ",";
                if (declares)
                {
                    variables.Add(name);
                }
                else if (!variables.Contains(name))
                {
                    problems.Add($"line {line}: variable {name} is used before it is declared");
                }
            }
            else if (char.IsLetter(token[0]) || token[0] == '_')
            {
                if (i == 0 && Keywords.Contains(token))
                {
                    continue;
                }

                if (i == 1 && tokens[0] == "else" && token is "if" or "with")
                {
                    continue;
                }

                if (token is "true" or "false" or "nil")
                {
                    continue;
                }

                if (!KnownFunctions.Contains(token))
                {
                    problems.Add($"line {line}: unknown function '{token}'");
                }
            }
        }

        if (depth != 0)
        {
            problems.Add($"line {line}: unbalanced '('");
        }
    }

    private static List<string> Tokenize(string body, int line, List<string> problems)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '`' or '\'')
            {
                var end = i + 1;
                while (end < body.Length && body[end] != c)
                {
                    end += c == '"' && body[end] == '\\' ? 2 : 1;
                }

                if (end >= body.Length)
                {
                    problems.Add($"line {line}: unterminated string");
                    return tokens;
                }

                tokens.Add(body[i..(end + 1)]);
                i = end + 1;
            }
            else if (c is '(' or ')' or '|' or ',')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == ':' && i + 1 < body.Length && body[i + 1] == '=')
            {
                tokens.Add(":=");
                i += 2;
            }
            else if (c == '=')
            {
                tokens.Add("=");
                i++;
            }
            else
            {
                var end = i;
                while (end < body.Length && !char.IsWhiteSpace(body[end]) && body[end] is not ('(' or ')' or '|' or ',' or '"' or '`' or '=')
                       && !(body[end] == ':' && end + 1 < body.Length && body[end + 1] == '='))
                {
                    end++;
                }

                var word = body[i..end];
                if (!WordPattern().IsMatch(word))
                {
                    problems.Add($"line {line}: cannot read '{word}'");
                }

                tokens.Add(word);
                i = end;
            }
        }

        return tokens;
    }

    private static IEnumerable<Action> Actions(string template, List<string> problems)
    {
        var position = 0;
        while (true)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                var stray = template.IndexOf("}}", position, StringComparison.Ordinal);
                if (stray >= 0)
                {
                    problems.Add($"line {LineOf(template, stray)}: '}}}}' without '{{{{'");
                }

                yield break;
            }

            var strayClose = template.IndexOf("}}", position, open - position, StringComparison.Ordinal);
            if (strayClose >= 0)
            {
                problems.Add($"line {LineOf(template, strayClose)}: '}}}}' without '{{{{'");
            }

            var line = LineOf(template, open);
            var close = FindClose(template, open + 2);
            if (close < 0)
            {
                problems.Add($"line {line}: '{{{{' is never closed");
                yield break;
            }

            var body = template[(open + 2)..close];
            if (body.StartsWith('-') && (body.Length == 1 || char.IsWhiteSpace(body[1])))
            {
                body = body[1..];
            }

            if (body.EndsWith('-') && (body.Length == 1 || char.IsWhiteSpace(body[^2])))
            {
                body = body[..^1];
            }

            yield return new Action(line, body.Trim());
            position = close + 2;
        }
    }

    private static int FindClose(string template, int start)
    {
        var i = start;
        char? quote = null;
        var inComment = template.AsSpan(start).TrimStart("- ").StartsWith("/*");
        while (i < template.Length - 1)
        {
            var c = template[i];
            if (inComment)
            {
                if (c == '*' && template[i + 1] == '/')
                {
                    inComment = false;
                    i += 2;
                    continue;
                }
            }
            else if (quote is { } q)
            {
                if (c == '\\' && q == '"')
                {
                    i += 2;
                    continue;
                }

                if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '`')
            {
                quote = c;
            }
            else if (c == '}' && template[i + 1] == '}')
            {
                return i;
            }

            i++;
        }

        return -1;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"^(\$[A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*|-?[0-9]+(\.[0-9]+)?)?(\.[A-Za-z_][A-Za-z0-9_]*)*$|^\.$")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesPathPattern();

    [GeneratedRegex("""(?:include|template)\s+"([^"]+)"\s""")]
    private static partial Regex IncludePattern();

    [GeneratedRegex("""\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}""")]
    private static partial Regex DefinePattern();

    private sealed record Action(int Line, string Body);
}
