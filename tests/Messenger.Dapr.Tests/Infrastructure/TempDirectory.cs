namespace Messenger.Dapr.Tests.Infrastructure;

/// <summary>A directory of its own under the system's temp directory, removed with everything in it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "messenger-dapr-" + Guid.NewGuid().ToString("n"))).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a host that is shutting down; the temp directory is cleaned up by the system.
        }
    }
}
