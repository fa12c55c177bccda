namespace Messenger.Web.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test build that holds Messenger.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where artifacts of the web tests (screenshots) go: TestResults/web under the root.</summary>
    public static string Artifacts
    {
        get
        {
            var path = Path.Combine(Root, "TestResults", "web");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Messenger.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Messenger.sln not found above the test build.");
    }
}
