using System.Diagnostics;

namespace Messenger.ReliabilityTests.Infrastructure;

/// <summary>
/// A small tmpfs mounted for one test (needs root, as the developers' machines and CI run), which the test can fill
/// up with a filler file and free again: a real disk-full (ENOSPC) under SQLite, no fake.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private const string Filler = "filler.bin";

    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallDisk> MountAsync(int sizeMiB)
    {
        var path = TempDirectory.Create("messenger-small-disk");
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m,mode=0700", "tmpfs", path);
        if (code != 0)
        {
            TempDirectory.TryDelete(path);
            throw new InvalidOperationException(
                $"Could not mount a {sizeMiB} MiB tmpfs at {path} (exit {code}: {error.Trim()}). This test needs root, as CI has; " +
                "see docs/reliability.md for the product seam (a database size quota) that would let it run without.");
        }

        return new SmallDisk(path);
    }

    /// <summary>Writes a filler file until the disk refuses another byte; returns how many bytes it took.</summary>
    public long Fill()
    {
        long written = 0;
        using var file = new FileStream(System.IO.Path.Combine(Path, Filler), FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var chunk in new[] { 1 << 20, 64 << 10, 4 << 10, 512, 1 })
        {
            var bytes = new byte[chunk];
            while (true)
            {
                try
                {
                    file.Write(bytes);
                    file.Flush();
                    written += chunk;
                }
                catch (IOException)
                {
                    break;
                }
            }
        }

        return written;
    }

    /// <summary>Deletes the filler: the space is back.</summary>
    public void Free() => File.Delete(System.IO.Path.Combine(Path, Filler));

    public async ValueTask DisposeAsync()
    {
        var (code, _) = await RunAsync("umount", Path);
        if (code != 0)
        {
            // Something still holds a file open: detach now, the kernel frees it when the last one closes.
            await RunAsync("umount", "-l", Path);
        }

        TempDirectory.TryDelete(Path);
    }

    private static async Task<(int Code, string Error)> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}
