namespace Messenger.Testing;

/// <summary>
/// A fresh directory of its own under the temp directory, removed (best effort) with everything in it on dispose.
/// <see cref="Create"/> and <see cref="TryDelete"/> serve code that owns the path itself, such as a host's data directory.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public const string DefaultPrefix = "messenger-tests";

    public TempDirectory(string prefix = DefaultPrefix)
    {
        Path = Create(prefix);
    }

    public string Path { get; }

    /// <summary>Creates a fresh directory under <c>{temp}/{prefix}/</c> and returns its path.</summary>
    public static string Create(string prefix = DefaultPrefix)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix, Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file still open by a process that is shutting down leaves the directory behind in the temp directory.
        }
    }

    public void Dispose() => TryDelete(Path);
}
