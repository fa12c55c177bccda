namespace Messenger.Deploy.Tests;

public sealed class TemplateSyntaxTests
{
    public static TheoryData<string> Templates()
    {
        var data = new TheoryData<string>();
        foreach (var file in ChartFiles.TemplateFiles())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_has_balanced_blocks_and_only_known_functions(string file)
    {
        var problems = GoTemplateChecker.Check(File.ReadAllText(Path.Combine(ChartFiles.TemplatesDirectory, file)));

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_Values_path_in_the_templates_exists_in_values_yaml()
    {
        var values = ChartFiles.Values();
        var missing = new List<string>();
        foreach (var file in ChartFiles.TemplateFiles())
        {
            foreach (var path in GoTemplateChecker.ValuesPaths(File.ReadAllText(file)))
            {
                System.Text.Json.Nodes.JsonNode? node = values;
                foreach (var segment in path)
                {
                    if (node is not System.Text.Json.Nodes.JsonObject map || !map.TryGetPropertyValue(segment, out node))
                    {
                        missing.Add($"{Path.GetFileName(file)}: .Values.{string.Join('.', path)}");
                        break;
                    }
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_included_template_is_defined()
    {
        var texts = ChartFiles.TemplateFiles().Select(File.ReadAllText).ToList();
        var defined = texts.SelectMany(GoTemplateChecker.DefinedNames).ToHashSet();

        var undefined = texts.SelectMany(GoTemplateChecker.IncludedNames).Where(n => !defined.Contains(n)).Distinct();

        Assert.Empty(undefined);
        Assert.Contains("messenger.fullname", defined);
    }

    [Theory]
    [InlineData("{{ if .Values.a }}x", "never closed by end")]
    [InlineData("x{{ end }}", "end without an open block")]
    [InlineData("{{ range .Values.a }}{{ else }}{{ end }}{{ else }}", "else outside")]
    [InlineData("{{ .Values.a | frobnicate }}", "unknown function 'frobnicate'")]
    [InlineData("{{ .Values.a ", "never closed")]
    [InlineData("{{ printf \"%s .Values.a }}", "never closed")]
    [InlineData("{{ quote (default \"a\" .Values.b }}", "unbalanced '('")]
    [InlineData("{{ $x.y }}", "variable $x is used before it is declared")]
    [InlineData("{{ define foo }}{{ end }}", "define needs a quoted name")]
    [InlineData("a }} b", "without")]
    public void Checker_finds_the_mistake(string template, string expected)
    {
        var problems = GoTemplateChecker.Check(template);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_accepts_comments_trim_markers_variables_and_else_if()
    {
        const string template = """
            {{- /* a comment with {{ braces }} */ -}}
            {{- range $k, $v := .Values.m }}
            {{- if eq $k "a" }}{{ $v | quote }}{{- else if $v }}{{ include "x" (dict "root" $ "v" $v) }}{{- else }}-{{- end }}
            {{- end }}
            """;

        Assert.Empty(GoTemplateChecker.Check(template));
    }
}
