using System.Xml.Linq;

namespace Messenger.Deploy.Tests;

/// <summary>The shape of apps/: libraries composed by thin hosts, arrows pointing down only.</summary>
public sealed class ProjectGraphTests
{
    private static readonly string[] AppLibraries = ["Messenger.Gateway", "Messenger.Messages", "Messenger.Media", "Messenger.Push"];

    [Fact]
    public void No_project_under_apps_references_an_app_library_but_the_hosts()
    {
        foreach (var project in AppsProjects())
        {
            var referenced = References(project).Where(AppLibraries.Contains).ToList();
            var isHost = project == "Messenger.Standalone" || project.EndsWith(".DaprHost", StringComparison.Ordinal);

            Assert.True(isHost || referenced.Count == 0, $"{project} references {string.Join(", ", referenced)}");
        }
    }

    [Fact]
    public void Each_Dapr_host_composes_exactly_its_app_library_on_the_Dapr_adapters()
    {
        foreach (var library in AppLibraries)
        {
            Assert.Equal(new[] { "Messenger.Dapr", library }.Order(), References(library + ".DaprHost").Order());
        }
    }

    [Fact]
    public void App_libraries_are_class_libraries_and_know_no_Dapr()
    {
        foreach (var library in AppLibraries.Append("Messenger.Core").Append("Messenger.Hosting").Append("Messenger.Embedded"))
        {
            var csproj = XDocument.Load(CsprojPath(library));

            Assert.Equal("Microsoft.NET.Sdk", csproj.Root!.Attribute("Sdk")!.Value);
            Assert.DoesNotContain(csproj.Descendants("PackageReference"), p => p.Attribute("Include")!.Value.StartsWith("Dapr", StringComparison.Ordinal));
            Assert.DoesNotContain("Messenger.Dapr", References(library));
            Assert.False(File.Exists(Path.Combine(ChartFiles.RepositoryRoot, "apps", library, "Program.cs")), library);
        }
    }

    [Fact]
    public void The_standalone_host_reaches_no_Dapr_project_or_package()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(["Messenger.Standalone"]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            Assert.DoesNotContain(
                XDocument.Load(CsprojPath(project)).Descendants("PackageReference"),
                p => p.Attribute("Include")!.Value.StartsWith("Dapr", StringComparison.Ordinal));
            foreach (var reference in References(project))
            {
                pending.Push(reference);
            }
        }

        Assert.DoesNotContain("Messenger.Dapr", seen);
    }

    [Fact]
    public void Dapr_host_programs_are_only_add_and_map_calls()
    {
        foreach (var library in AppLibraries)
        {
            var program = File.ReadAllLines(Path.Combine(ChartFiles.RepositoryRoot, "apps", library + ".DaprHost", "Program.cs"));
            var statements = program.Where(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("//", StringComparison.Ordinal)).ToList();

            Assert.True(program.Length <= 20, $"{library}.DaprHost/Program.cs has {program.Length} lines");
            Assert.DoesNotContain(statements, l => l.Contains("=>", StringComparison.Ordinal));
            Assert.All(
                statements.Where(l => !l.StartsWith("var ", StringComparison.Ordinal) && l != "app.Run();"),
                l => Assert.Matches(@"^(builder|app)\.(Add|Map|Use)[A-Za-z]+\(\);$", l));
        }
    }

    [Fact]
    public void Dapr_hosts_log_asp_net_core_at_warning_so_that_a_request_is_not_a_log_line()
    {
        foreach (var library in AppLibraries)
        {
            using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ChartFiles.RepositoryRoot, "apps", library + ".DaprHost", "appsettings.json")));
            var level = settings.RootElement.GetProperty("Logging").GetProperty("LogLevel").GetProperty("Microsoft.AspNetCore").GetString();
            Assert.True(level == "Warning", $"{library}.DaprHost logs Microsoft.AspNetCore at {level}");
        }
    }

    private static IEnumerable<string> AppsProjects() =>
        Directory.EnumerateDirectories(Path.Combine(ChartFiles.RepositoryRoot, "apps"))
            .Select(Path.GetFileName)
            .Where(name => File.Exists(CsprojPath(name!)))
            .Select(name => name!);

    private static string CsprojPath(string project) => Path.Combine(ChartFiles.RepositoryRoot, "apps", project, project + ".csproj");

    private static List<string> References(string project) =>
        XDocument.Load(CsprojPath(project)).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .ToList();
}
