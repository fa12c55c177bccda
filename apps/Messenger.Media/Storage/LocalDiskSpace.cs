namespace Messenger.Media.Storage;

/// <summary>
/// The free-space reserve of local-disk mode: an upload is refused before its bytes are stored when the disk that
/// holds <c>LocalDirectory</c> (by default the database's, under the data directory) would keep less than the reserve
/// free, so that uploads never fill the disk message sends are written to.
/// </summary>
public sealed class LocalDiskSpace(string directory, long reserve)
{
    /// <summary>The free bytes left to this process on the disk of the media directory.</summary>
    public long Available()
    {
        Directory.CreateDirectory(directory);
        return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
    }

    /// <summary>Throws <see cref="InsufficientStorageException"/> unless <paramref name="bytes"/> more leave the reserve free.</summary>
    public void EnsureRoomFor(long bytes)
    {
        if (reserve > 0 && Available() - bytes < reserve)
        {
            throw new InsufficientStorageException();
        }
    }
}
