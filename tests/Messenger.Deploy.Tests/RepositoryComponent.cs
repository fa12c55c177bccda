using System.Text.RegularExpressions;

namespace Messenger.Deploy.Tests;

/// <summary>A Dapr component file of the repository (components/, components/production/), read for its name and scopes.</summary>
public sealed partial record RepositoryComponent(string File, string Kind, string Name, IReadOnlyList<string> Scopes, string Text)
{
    public static IReadOnlyList<RepositoryComponent> ReadAll(string folder)
    {
        return [.. Directory.EnumerateFiles(Path.Combine(ChartFiles.RepositoryRoot, folder), "*.yaml").Order(StringComparer.Ordinal).Select(Read)];
    }

    /// <summary>The value of one metadata entry (<c>- name: key</c> followed by <c>value: ...</c>), unquoted.</summary>
    public string? MetadataValue(string key)
    {
        var match = Regex.Match(Text, $@"- name: {Regex.Escape(key)}\s*\n\s*value: ""?(?<v>[^""\n]*)""?");
        return match.Success ? match.Groups["v"].Value : null;
    }

    private static RepositoryComponent Read(string path)
    {
        var text = System.IO.File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var kind = KindPattern().Match(text).Groups[1].Value;
        var name = NamePattern().Match(text).Groups[1].Value;
        var scopesBlock = ScopesPattern().Match(text);
        IReadOnlyList<string> scopes = scopesBlock.Success
            ? [.. scopesBlock.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()[2..].Trim())]
            : [];
        return new RepositoryComponent(Path.GetFileName(path), kind, name, scopes, text);
    }

    [GeneratedRegex(@"^kind: (\w+)", RegexOptions.Multiline)]
    private static partial Regex KindPattern();

    [GeneratedRegex(@"^metadata:\n  name: ([\w-]+)", RegexOptions.Multiline)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^scopes:\n((?:  - .+\n?)+)", RegexOptions.Multiline)]
    private static partial Regex ScopesPattern();
}
