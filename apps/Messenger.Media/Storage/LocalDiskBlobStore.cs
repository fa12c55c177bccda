using System.Globalization;
using Messenger.Core.Domain;

namespace Messenger.Media.Storage;

/// <summary>
/// Blobs as files under one directory (embedded mode): <c>{root}/{mediaId}/{name}</c>. A write goes to a temporary
/// file that is flushed to disk and then renamed into place, so a blob is there whole or not at all.
/// </summary>
public sealed class LocalDiskBlobStore : IBlobStore
{
    private const int BufferSize = 81920;
    private const string PartSuffix = ".part";
    private readonly string root;

    public LocalDiskBlobStore(string root)
    {
        this.root = Path.GetFullPath(root);
        Directory.CreateDirectory(this.root);
    }

    public async Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = $"{path}.{Guid.NewGuid():n}{PartSuffix}";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, BufferSize, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: false);
        }
        catch
        {
            File.Delete(temp);
            RemoveIfEmpty(directory);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = new FileStream(
                PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        try
        {
            using var file = File.OpenHandle(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
            var filled = 0;
            while (filled < buffer.Length)
            {
                var read = await RandomAccess.ReadAsync(file, buffer[filled..], offset + filled, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return filled;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    public Task<StoredBlob?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(name));
        return Task.FromResult(file.Exists
            ? new StoredBlob(file.Length, $"\"{file.LastWriteTimeUtc.Ticks.ToString("x", CultureInfo.InvariantCulture)}-{file.Length.ToString("x", CultureInfo.InvariantCulture)}\"")
            : null);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.CompletedTask;
        }

        RemoveIfEmpty(Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    private static void RemoveIfEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Another blob of the same media was written meanwhile: the directory stays.
        }
    }

    /// <summary>Blob names are ours (<see cref="BlobNames"/>): segments of letters, digits, '_' and '-', never a path of the caller's.</summary>
    private string PathOf(string name)
    {
        var segments = name.Split('/');
        if (segments.Length != 2 || !segments.All(Ids.IsWellFormed))
        {
            throw new ArgumentException($"Not a blob name: {name}", nameof(name));
        }

        return Path.Combine(root, segments[0], segments[1]);
    }
}
