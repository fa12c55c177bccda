namespace Messenger.Testing;

/// <summary>A fresh directory under the temp directory, for one host's data, and its best-effort removal.</summary>
public static class TempDir
{
    public static string Create(string prefix = "messenger-tests")
    {
        var path = Path.Combine(Path.GetTempPath(), prefix, Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file still open by a process that is shutting down leaves the directory behind in the temp directory.
        }
    }
}
